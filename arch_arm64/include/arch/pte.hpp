// The arm64 page-table entry format for the generic page tables.
#pragma once

#include "pte_arm64.hpp"

namespace arch {
using Pte_format = arm64::Pte_format;
}
