#!/usr/bin/env python3
"""Tests of the interface generator (codegen/): the generated files match
the reviewed golden copies under tests/codegen/golden/, and malformed
interface definitions are refused.

    test_codegen.py            run the tests
    test_codegen.py --update   rewrite the goldens after an intended change
"""
import copy
import os
import sys
import tomllib

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "codegen"))
import baton_codegen as cg  # noqa: E402

GOLDEN = os.path.join(ROOT, "tests", "codegen", "golden")
INTERFACE = os.path.join(ROOT, "codegen", "interface.toml")


def generated():
    return cg.render_all(cg.load(INTERFACE), "codegen/interface.toml")


def golden_path(name):
    return os.path.join(GOLDEN, name.replace("/", "__"))


def test_goldens():
    """Each generated file equals its golden copy."""
    results = []
    for name, text in generated().items():
        path = golden_path(name)
        if not os.path.exists(path):
            results.append(("golden " + name, "no golden copy; run tests/codegen/test_codegen.py --update"))
            continue
        with open(path) as f:
            want = f.read()
        results.append(("golden " + name, None if want == text else
                        "differs from %s; review the change, then run tests/codegen/test_codegen.py --update" %
                        os.path.relpath(path, ROOT)))
    return results


def expect_refused(name, mutate, needle):
    with open(INTERFACE, "rb") as f:
        spec = tomllib.load(f)
    spec = copy.deepcopy(spec)
    mutate(spec)
    try:
        cg.validate(spec)
    except cg.InterfaceError as e:
        if needle in str(e):
            return (name, None)
        return (name, "refused for the wrong reason: %s" % e)
    return (name, "accepted a malformed interface")


def syscall(spec, name):
    return next(s for s in spec["syscalls"] if s["name"] == name)


def method(spec, full_name):
    return next(m for m in spec["methods"] if "%s_%s" % (m["object"], m["name"]) == full_name)


def test_validation():
    return [
        expect_refused("refuses duplicate syscall numbers",
                       lambda s: syscall(s, "debug_write").update(number=syscall(s, "debug_put_char")["number"]),
                       "duplicate syscall"),
        expect_refused("refuses duplicate error values",
                       lambda s: s["errors"][2].update(value=1), "duplicate error"),
        expect_refused("refuses too many arguments for the ABI",
                       lambda s: syscall(s, "debug_put_char").update(
                           args=[{"name": "a%d" % i, "type": "u64", "doc": ""} for i in range(11)]), "args"),
        expect_refused("refuses unknown argument types",
                       lambda s: syscall(s, "debug_put_char")["args"][0].update(type="float"), "unknown type"),
        expect_refused("refuses a missing architecture ABI", lambda s: s["abi"].pop("x86_64"), "abi.x86_64"),
        expect_refused("requires ok = 0 first", lambda s: s["errors"].pop(0), "ok = 0"),
        expect_refused("refuses duplicate invocation labels",
                       lambda s: method(s, "cnode_copy").update(label=method(s, "cnode_mint")["label"]),
                       "duplicate method"),
        expect_refused("refuses methods of unknown objects",
                       lambda s: method(s, "cnode_copy").update(object="gizmo"), "unknown object"),
        expect_refused("refuses more than three capability arguments",
                       lambda s: method(s, "tcb_configure")["args"].append(
                           {"name": "x", "type": "cap", "cap": "cnode", "doc": ""}), "capability arguments"),
        expect_refused("refuses capability arguments naming no type",
                       lambda s: method(s, "cnode_copy")["args"][2].update(cap="gizmo"), "names no object type"),
        expect_refused("refuses a words argument without a count",
                       lambda s: method(s, "tcb_write_registers")["args"][3].update(count="nothing"), "needs count"),
        expect_refused("refuses object type values with gaps",
                       lambda s: s["object_types"][3].update(value=40), "without gaps"),
    ]


def test_banners():
    """Every output names its source and says not to edit it."""
    out = []
    for name, text in generated().items():
        head = "\n".join(text.splitlines()[:3])
        ok = "Generated from codegen/interface.toml" in head and "do not edit" in head
        out.append(("banner " + name, None if ok else "no generated-file banner in the first lines"))
    return out


def main():
    if "--update" in sys.argv:
        os.makedirs(GOLDEN, exist_ok=True)
        for name, text in generated().items():
            with open(golden_path(name), "w") as f:
                f.write(text)
        print("codegen: goldens updated in %s" % os.path.relpath(GOLDEN, ROOT))
        return 0
    results = test_goldens() + test_validation() + test_banners()
    failed = 0
    for name, problem in results:
        print("codegen %s %s%s" % ("ok  " if problem is None else "FAIL", name, "" if problem is None else ": " + problem))
        failed += problem is not None
    print("codegen: %d passed, %d failed" % (len(results) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
