// The x86_64 page-table entry format, as the generic page tables see it.
#pragma once

#include "pte_x86_64.hpp"

namespace arch {
using Pte_format = x86_64::Pte_format;
}
