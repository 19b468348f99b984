#pragma once

#include "core/types.hpp"
#include "store/store.hpp"

namespace vg::app {
// Loads the demo organisation (slug "demo") unless it exists; true when created.
bool load_demo(store::Store& db, core::Instant now);
}  // namespace vg::app
