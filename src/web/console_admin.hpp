// The organisation's administration under /console/admin/ (organisation administrators
// only): settings, change journal, sites, motifs, members and roles, terms versions; and
// the logo an administrator uploaded, served at /{org}/logo. docs/ADMINISTRATION.md.
#pragma once

#include <memory>

#include "http/router.hpp"
#include "web/staff_gate.hpp"

namespace vg::web {

void register_admin_routes(http::Router& router, const std::shared_ptr<StaffGate>& gate);

// The administration's navigation (templates/admin/_top.mustache: admin_nav, admin_org),
// `section` marked current; for the administration's parts in other files (partners).
void admin_navigation(Page& page, const Staff& staff, const std::string& section);

// The largest body accepted for this request: the logo upload (POST /console/admin/logo)
// may carry app::kMaxLogoBytes and its form around it; anything else `normal`.
std::size_t admin_body_limit(const std::string& method, const std::string& target,
                             std::size_t normal);

}  // namespace vg::web
