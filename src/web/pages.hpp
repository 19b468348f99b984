// HTML pages for citizens (booking, management), static files and error pages.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "app/context.hpp"
#include "http/router.hpp"

namespace vg::web {

void register_routes(http::Router& router, app::Context& ctx);
// Headers added to every response: CSP without inline script, framing, referrer, sniffing.
std::vector<std::pair<std::string, std::string>> security_headers(bool https);

}  // namespace vg::web
