// Host stand-in for <arch/pte.hpp>: the x86_64 encoding, so that generic
// page-table code runs against a real format in the unit tests.
#pragma once

#include "../../../arch_x86_64/include/arch/pte_x86_64.hpp"

namespace arch {
using Pte_format = x86_64::Pte_format;
}
