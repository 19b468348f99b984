// The browser family of a User-Agent header (the statistics' video figures per browser,
// docs/STATISTICS.md). Pure computation.
#pragma once

#include <string_view>

namespace vg::core {

// "edge", "chrome", "firefox", "safari" or "other" (empty or unknown): the families the room's
// page names in its events (static/room.js browser()). Edge names itself beside "Chrome/", so
// it is looked for first; other Chromium browsers count as Chrome, Chrome and Firefox on iOS
// ("CriOS/", "FxiOS/") as Chrome and Firefox.
std::string_view browser_family(std::string_view user_agent);

}  // namespace vg::core
