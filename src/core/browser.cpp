#include "core/browser.hpp"

namespace vg::core {

std::string_view browser_family(std::string_view ua) {
    auto has = [&](std::string_view s) { return ua.find(s) != std::string_view::npos; };
    if (has("Edg/") || has("EdgA/") || has("EdgiOS/")) return "edge";
    if (has("Chrome/") || has("CriOS/") || has("Chromium/")) return "chrome";
    if (has("Firefox/") || has("FxiOS/")) return "firefox";
    if (has("Safari/")) return "safari";
    return "other";
}

}  // namespace vg::core
