#!/usr/bin/env python3
"""Generates Baton's interface code from codegen/interface.toml.

    baton_codegen.py --interface interface.toml --out DIR [--flat] [--only NAME ...]

Writes, below DIR:
    baton/errors.h             error enum (C and C++), shared by kernel and user
    baton/syscall_numbers.h    system-call numbers (C and C++)
    baton/syscalls_aarch64.h   user stubs for arm64
    baton/syscalls_x86_64.h    user stubs for x86_64
    baton/syscalls.h           picks the stubs of the compiling architecture
    kernel/syscall_decode.hpp  kernel decoder: registers -> handler call
    api.md                     the API reference

Every output starts with a banner naming its source. Needs Jinja2.
"""
import argparse
import os
import sys

try:
    import tomllib
except ImportError:  # Python < 3.11
    sys.exit("baton_codegen: needs Python 3.11 or newer (tomllib)")
try:
    import jinja2
except ImportError:
    sys.exit("baton_codegen: Jinja2 is missing for %s; on Debian: apt-get install python3-jinja2 "
             "(it belongs to /usr/bin/python3)" % sys.executable)

HERE = os.path.dirname(os.path.abspath(__file__))

# output -> (template, architecture the output is for, or None)
OUTPUTS = {
    "baton/errors.h": ("errors.h.j2", None),
    "baton/syscall_numbers.h": ("syscall_numbers.h.j2", None),
    "baton/object_types.h": ("object_types.h.j2", None),
    "baton/syscalls_aarch64.h": ("syscalls_arch.h.j2", "aarch64"),
    "baton/syscalls_x86_64.h": ("syscalls_arch.h.j2", "x86_64"),
    "baton/syscalls.h": ("syscalls.h.j2", None),
    "baton/invocations.h": ("invocations.h.j2", None),
    "baton/invocations.hpp": ("invocations.hpp.j2", None),
    "kernel/syscall_decode.hpp": ("syscall_decode.hpp.j2", None),
    "kernel/invocation_decode.hpp": ("invocation_decode.hpp.j2", None),
    "api.md": ("api.md.j2", None),
}

C_TYPES = {"u64": "uint64_t", "ptr": "const void *", "mutptr": "void *", "cap": "baton_cptr",
           "words": "const uint64_t *"}
# Method names that are C++ keywords get a trailing underscore in the C++ API.
CPP_KEYWORDS = {"delete", "new", "default", "register", "switch", "case", "class", "operator", "this", "template",
                "typename", "union", "virtual", "explicit", "export", "friend", "private", "public", "protected"}
MAX_MSG_WORDS = 120
MSG_REGISTERS = 8
MAX_EXTRA_CAPS = 3


class InterfaceError(Exception):
    pass


def load(path):
    with open(path, "rb") as f:
        spec = tomllib.load(f)
    validate(spec)
    return spec


def validate(spec):
    """Rejects interface files that would generate an ambiguous ABI."""
    for section in ("abi", "errors", "syscalls"):
        if section not in spec:
            raise InterfaceError("missing [%s]" % section)
    for arch in ("aarch64", "x86_64"):
        abi = spec["abi"].get(arch)
        if abi is None:
            raise InterfaceError("missing [abi.%s]" % arch)
        for key in ("trap", "number", "args", "results", "reply", "clobbers"):
            if key not in abi:
                raise InterfaceError("[abi.%s] lacks %s" % (arch, key))
    seen_values, seen_names = set(), set()
    for e in spec["errors"]:
        if e["value"] in seen_values or e["name"] in seen_names:
            raise InterfaceError("duplicate error %s = %d" % (e["name"], e["value"]))
        seen_values.add(e["value"])
        seen_names.add(e["name"])
    if spec["errors"][0]["name"] != "ok" or spec["errors"][0]["value"] != 0:
        raise InterfaceError("the first error must be ok = 0")
    values = sorted(t["value"] for t in spec.get("object_types", []))
    if values != list(range(len(values))):
        raise InterfaceError("object type values must be 0..N-1 without gaps or repeats: %s" % values)
    for t in spec.get("object_types", []):
        t.setdefault("retype", False)
        t.setdefault("size_bits", 0)
        if t["size_bits"] == "variable" and not ("min_size_bits" in t and "max_size_bits" in t):
            raise InterfaceError("object type %s: variable size needs min_size_bits and max_size_bits" % t["name"])
    spec.setdefault("object_types", [])
    validate_methods(spec)
    seen_numbers, seen_names = set(), set()
    for s in spec["syscalls"]:
        if s["number"] in seen_numbers or s["name"] in seen_names:
            raise InterfaceError("duplicate syscall %s = %d" % (s["name"], s["number"]))
        if s["number"] <= 0:
            raise InterfaceError("syscall %s: numbers start at 1" % s["name"])
        s.setdefault("noreturn", False)
        s.setdefault("results", [])
        s.setdefault("args", [])
        s.setdefault("kind", "plain")
        s.setdefault("reply", False)
        s.setdefault("sends", True)  # ipc: whether the caller's registers carry a message
        seen_numbers.add(s["number"])
        seen_names.add(s["name"])
        if s["kind"] == "ipc":
            continue  # registers fixed by the IPC convention: cptr, info, MR0-MR7
        for arch, abi in spec["abi"].items():
            if len(s["args"]) > len(abi["args"]):
                raise InterfaceError("syscall %s: %d args, %s passes %d" %
                                     (s["name"], len(s["args"]), arch, len(abi["args"])))
            if len(s["results"]) + 1 > len(abi["results"]):
                raise InterfaceError("syscall %s: %d results, %s returns %d" %
                                     (s["name"], len(s["results"]), arch, len(abi["results"]) - 1))
        for a in s["args"] + s["results"]:
            if a["type"] not in C_TYPES:
                raise InterfaceError("syscall %s: unknown type %s" % (s["name"], a["type"]))


def validate_methods(spec):
    """Methods: unique labels and names, known objects, messages that fit."""
    types = {t["name"] for t in spec.get("object_types", [])}
    spec.setdefault("methods", [])
    labels, names = set(), set()
    for m in spec["methods"]:
        full = "%s_%s" % (m["object"], m["name"])
        if m["label"] in labels or full in names:
            raise InterfaceError("duplicate method %s = %d" % (full, m["label"]))
        if m["label"] <= 0:
            raise InterfaceError("method %s: labels start at 1" % full)
        labels.add(m["label"])
        names.add(full)
        m["objects"] = [m["object"]] + m.get("also", [])
        for o in m["objects"]:
            if o not in types:
                raise InterfaceError("method %s: unknown object %s" % (full, o))
        m.setdefault("results", [])
        m.setdefault("errors", [])
        m["full_name"] = full
        m["words"] = [a for a in m["args"] if a["type"] == "u64"]
        m["caps"] = [a for a in m["args"] if a["type"] == "cap"]
        # At most one variable-length run of words, after the fixed ones, with
        # its length in an earlier u64 argument.
        var = [a for a in m["args"] if a["type"] == "words"]
        var_results = [r for r in m["results"] if r["type"] == "words"]
        if len(var) > 1 or (var and m["args"][-1] is not var[0] and m["args"][-1]["type"] != "cap"):
            raise InterfaceError("method %s: one words argument, after the other words" % full)
        if var_results and len(m["results"]) != 1:
            raise InterfaceError("method %s: a words result must be the only result" % full)
        for w in var + var_results:
            if w.get("count") not in [a["name"] for a in m["words"]]:
                raise InterfaceError("method %s: words %s needs count = an earlier u64 argument" % (full, w["name"]))
        m["var_words"] = var[0] if var else None
        m["var_result"] = var_results[0] if var_results else None
        for a in m["args"] + m["results"]:
            if a["type"] not in ("u64", "cap", "words"):
                raise InterfaceError("method %s: unknown type %s" % (full, a["type"]))
            if a["type"] == "cap" and a.get("cap") not in types:
                raise InterfaceError("method %s: argument %s names no object type" % (full, a["name"]))
        if len(m["words"]) > MAX_MSG_WORDS or len(m["results"]) > MAX_MSG_WORDS:
            raise InterfaceError("method %s: more than %d message words" % (full, MAX_MSG_WORDS))
        if len(m["caps"]) > MAX_EXTRA_CAPS:
            raise InterfaceError("method %s: more than %d capability arguments" % (full, MAX_EXTRA_CAPS))
    errors = {e["name"] for e in spec["errors"]}
    for m in spec["methods"]:
        for e in m["errors"]:
            if e not in errors:
                raise InterfaceError("method %s: unknown error %s" % (m["full_name"], e))


def register_plan(syscall, abi):
    """Assigns the stub's register variables: one per register, marking
    which carry a value in, which carry one out, and which both."""
    regs = {}

    def use(reg, init=None, out=None):
        r = regs.setdefault(reg, {"reg": reg, "var": "r_" + reg, "init": None, "out": None})
        if init is not None:
            r["init"] = init
        if out is not None:
            r["out"] = out

    use(abi["number"], init="BATON_SYS_" + syscall["name"].upper())
    for reg, a in zip(abi["args"], syscall["args"]):
        use(reg, init="(uint64_t)(%s)" % a["name"])
    use(abi["results"][0], out="error")
    for reg, r in zip(abi["results"][1:], syscall["results"]):
        use(reg, out=r)
    plan = list(regs.values())
    outputs = [("+r" if r["init"] else "=r", r["var"]) for r in plan if r["out"]]
    inputs = [("r", r["var"]) for r in plan if r["init"] and not r["out"]]
    error_var = regs[abi["results"][0]]["var"]
    results = [(r["out"], r["var"]) for r in plan if r["out"] and r["out"] != "error"]
    return {"regs": plan, "outputs": outputs, "inputs": inputs, "error_var": error_var, "results": results}


def environment():
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(os.path.join(HERE, "templates")),
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                             trim_blocks=True, lstrip_blocks=True)
    env.filters["ctype"] = lambda t: C_TYPES[t]
    env.globals["msg_registers"] = MSG_REGISTERS
    env.filters["upper_snake"] = lambda s: s.upper()
    env.globals["register_plan"] = register_plan
    env.filters["cpp_name"] = lambda n: n + "_" if n in CPP_KEYWORDS else n
    env.filters["camel"] = lambda s: "".join(w.capitalize() for w in s.split("_"))
    return env


def render_all(spec, source_name, only=None):
    env = environment()
    out = {}
    for name, (template, arch) in OUTPUTS.items():
        if only and name not in only:
            continue
        ctx = dict(spec=spec, source=source_name, generator="codegen/baton_codegen.py",
                   output=name, arch=arch, abi=spec["abi"].get(arch) if arch else None)
        out[name] = env.get_template(template).render(**ctx)
    return out


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--interface", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--only", action="append", help="generate only this output (repeatable)")
    p.add_argument("--flat", action="store_true", help="write outputs into --out without their folders")
    args = p.parse_args(argv)
    try:
        spec = load(args.interface)
    except (InterfaceError, KeyError, tomllib.TOMLDecodeError) as e:
        sys.exit("baton_codegen: %s: %s" % (args.interface, e))
    for name, text in render_all(spec, "codegen/interface.toml", args.only).items():
        path = os.path.join(args.out, os.path.basename(name) if args.flat else name)
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        # Leave unchanged files alone so that ninja does not rebuild needlessly.
        if os.path.exists(path):
            with open(path) as f:
                if f.read() == text:
                    continue
        with open(path, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main(sys.argv[1:])
