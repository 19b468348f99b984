#include "web/staff_gate.hpp"

namespace vg::web {

using http::Request;
using http::Response;

std::string StaffGate::cookie_name() const {
    return ctx_.settings.staff_cookie();
}

std::string StaffGate::cookie(const std::string& value, bool clear) const {
    return cookie_name() + "=" + value + "; Path=/; HttpOnly; SameSite=Lax" +
           (clear ? "; Max-Age=0" : "") + (ctx_.settings.https() ? "; Secure" : "");
}

std::optional<app::AccountService::Current> StaffGate::current(const Request& req) const {
    if (!ctx_.accounts) return std::nullopt;
    return ctx_.accounts->session(req.cookie(cookie_name()));
}

std::string StaffGate::home_of(const std::string& stage) {
    if (stage == "totp") return "/login/totp";
    if (stage == "enrol") return "/console/totp";
    return "/console/";
}

Response StaffGate::to_login(const Request& req) const {
    auto res = Response::redirect("/login");
    if (!req.cookie(cookie_name()).empty()) res.header("Set-Cookie", cookie("", true));
    return res;
}

std::optional<Staff> StaffGate::make_staff(const app::AccountService::Current& c) const {
    auto m = c.membership();
    if (!m) return std::nullopt;
    Staff s{c, m->organisation_id, m->organisation_slug, m->organisation_name, c.roles(), {}, {}};
    for (auto& x : c.memberships) {
        if (x.organisation_id != m->organisation_id) continue;
        if (x.agent_id) s.agent_id = x.agent_id;
        if (x.role == "partner" && x.partner_id) s.partner_id = x.partner_id;
    }
    return s;
}

// A refusal speaks the signed-in person's console language, like their pages.
std::optional<std::string> StaffGate::language_of(const Request& req) const {
    auto c = current(req);
    return c ? c->account.language : std::nullopt;
}

Response StaffGate::forbidden(const Request& req) const {
    Page page(ctx_, req, nullptr, language_of(req));
    return page.error(403, "staff.forbidden");
}

Response StaffGate::not_found(const Request& req) const {
    Page page(ctx_, req, nullptr, language_of(req));
    return page.error(404, "error_page.not_found");
}

std::optional<core::Id> StaffGate::id_param(const Request& req, const std::string& name) {
    auto v = req.path_param(name);
    if (!v || v->empty() || v->size() > 18) return std::nullopt;
    core::Id id = 0;
    for (char ch : *v) {
        if (ch < '0' || ch > '9') return std::nullopt;
        id = id * 10 + (ch - '0');
    }
    if (id <= 0) return std::nullopt;
    return id;
}

}  // namespace vg::web
