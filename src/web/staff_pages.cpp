// Staff pages: sign-in at /login, sign-out, and the console's entrance at /console/ (the
// console's screens come later, on this). Every /console/ address requires a live session.
#include <nlohmann/json.hpp>

#include "app/tokens.hpp"
#include "http/address.hpp"
#include "text/i18n.hpp"
#include "web/citizen_pages.hpp"
#include "web/console_agenda.hpp"
#include "web/console_parts.hpp"
#include "web/page.hpp"
#include "web/qr_svg.hpp"
#include "web/staff_gate.hpp"

namespace vg::web {

using http::Request;
using http::Response;

namespace {

class StaffPages {
  public:
    explicit StaffPages(app::Context& ctx) : ctx_(ctx), accounts_(*ctx.accounts), gate_(ctx) {}

    std::string cookie_name() const { return gate_.cookie_name(); }
    std::string cookie(const std::string& value, bool clear) const {
        return gate_.cookie(value, clear);
    }
    std::optional<app::AccountService::Current> current(const Request& req) {
        return gate_.current(req);
    }
    static std::string home_of(const std::string& stage) { return StaffGate::home_of(stage); }

    Response login_form(Request& req) {
        if (auto c = current(req); c && c->session.stage == "full")
            return Response::redirect("/console/");
        Page page(ctx_, req, nullptr);
        if (req.q("signed_out")) page.data()["notice"] = page.t("staff.signed_out");
        if (req.q("password_set")) page.data()["notice"] = page.t("staff.password_set");
        return page.render(200, "staff/login", page.t("staff.login_title"));
    }

    Response login(Request& req) {
        Page page(ctx_, req, nullptr);
        auto form = http::parse_urlencoded(req.body);
        if (!page.csrf_ok(form)) return page.error(403, "error_page.csrf");
        auto email = form_value(form, "email");
        auto password = form_value(form, "password");
        auto r = accounts_.sign_in(email, password, http::network_key(req.remote_ip),
                                   req.cookie(cookie_name()));
        using O = app::AccountService::Outcome;
        if (r.outcome == O::signed_in) {
            auto res = Response::redirect(home_of(r.stage));
            res.header("Set-Cookie", cookie(r.session_id, false));
            res.header("Cache-Control", "no-store");
            return res;
        }
        page.data()["email"] = email;
        if (r.outcome == O::blocked) {
            auto wait = std::max<core::Instant>(1, r.retry_at - ctx_.now());
            auto minutes = (wait + 59) / 60;
            page.data()["login_error"] =
                wait < 60 ? page.t("staff.blocked_seconds")
                          : page.t("staff.blocked_minutes") + " " + std::to_string(minutes);
            auto res = page.render(429, "staff/login", page.t("staff.login_title"));
            res.header("Retry-After", std::to_string(wait));
            return res;
        }
        // The same answer whether the address has an account or not.
        page.data()["login_error"] = page.t("staff.refused");
        return page.render(401, "staff/login", page.t("staff.login_title"));
    }

    Response logout(Request& req, bool everywhere) {
        Page page(ctx_, req, nullptr);
        auto form = http::parse_urlencoded(req.body);
        if (!page.csrf_ok(form)) return page.error(403, "error_page.csrf");
        auto id = req.cookie(cookie_name());
        if (everywhere)
            accounts_.sign_out_everywhere(id);
        else
            accounts_.sign_out(id);
        auto res = Response::redirect("/login?signed_out=1");
        res.header("Set-Cookie", cookie("", true));
        return res;
    }

    template <class F>
    Response with_session(Request& req, F f) {
        return gate_.with_session(req, f);
    }

    Response console(Request& req) {
        return with_session(req, [&](app::AccountService::Current& c) {
            // Partner staff work at /partner/ (web/partner_pages), not in the console.
            if (auto staff = gate_.make_staff(c); staff && staff->partner())
                return Response::redirect("/partner/");
            Page page(ctx_, req, nullptr, c.account.language);
            auto& d = page.data();
            d["person"] = c.account.display_name.empty() ? c.account.email : c.account.display_name;
            if (auto m = c.membership()) {
                d["org_label"] = m->organisation_name;
                std::string roles;
                for (auto& r : c.roles())
                    roles += (roles.empty() ? "" : ", ") + page.t("staff.role_" + r);
                d["roles"] = roles;
            }
            mstch::array choices;
            std::vector<core::Id> seen;
            for (auto& m : c.memberships) {
                if (std::find(seen.begin(), seen.end(), m.organisation_id) != seen.end()) continue;
                seen.push_back(m.organisation_id);
                choices.push_back(
                    mstch::map{{"id", std::to_string(m.organisation_id)},
                               {"name", m.organisation_name},
                               {"current", c.session.organisation_id == m.organisation_id}});
            }
            if (choices.size() > 1) {
                d["choices"] = choices;
                d["has_choices"] = true;
            }
            // The person's day (web/console_agenda) and their console language.
            if (auto staff = gate_.make_staff(c)) add_console_today(page, ctx_, *staff);
            mstch::array langs{mstch::map{{"code", std::string()},
                                          {"name", page.t("agenda.language_browser")},
                                          {"selected", !c.account.language}}};
            for (auto& l : text::kLanguages)
                langs.push_back(mstch::map{{"code", l},
                                           {"name", page.t("language." + l)},
                                           {"selected", c.account.language == l}});
            d["console_languages"] = langs;
            return page.render(200, "staff/console", page.t("staff.console_title"));
        });
    }

    Response choose_organisation(Request& req) {
        Page page(ctx_, req, nullptr);
        auto form = http::parse_urlencoded(req.body);
        if (!page.csrf_ok(form)) return page.error(403, "error_page.csrf");
        return with_session(req, [&](app::AccountService::Current&) {
            core::Id org = 0;
            try {
                org = std::stoll(form_value(form, "organisation"));
            } catch (const std::exception&) {
                return page.error(400, "error_page.bad_request");
            }
            if (!accounts_.choose_organisation(req.cookie(cookie_name()), org))
                return page.error(403, "staff.not_member");
            return Response::redirect("/console/");
        });
    }

    // Stage "totp": the second factor after the password.
    Response totp_form(Request& req) {
        auto c = current(req);
        if (!c) return Response::redirect("/login");
        if (c->session.stage != "totp") return Response::redirect(home_of(c->session.stage));
        Page page(ctx_, req, nullptr);
        return page.render(200, "staff/totp", page.t("staff.totp_title"));
    }

    Response totp(Request& req) {
        Page page(ctx_, req, nullptr);
        auto form = http::parse_urlencoded(req.body);
        if (!page.csrf_ok(form)) return page.error(403, "error_page.csrf");
        if (!current(req)) return Response::redirect("/login");
        core::Instant retry = 0;
        auto outcome =
            accounts_.second_factor(req.cookie(cookie_name()), form_value(form, "code"), &retry);
        using O = app::AccountService::Outcome;
        if (outcome == O::signed_in) return Response::redirect("/console/");
        if (outcome == O::blocked) {
            auto wait = std::max<core::Instant>(1, retry - ctx_.now());
            page.data()["login_error"] = page.t("staff.blocked_seconds");
            auto res = page.render(429, "staff/totp", page.t("staff.totp_title"));
            res.header("Retry-After", std::to_string(wait));
            return res;
        }
        page.data()["login_error"] = page.t("staff.code_refused");
        return page.render(401, "staff/totp", page.t("staff.totp_title"));
    }

    // The enrolment: QR code and secret as text; stage "enrol" (required) or a signed-in
    // agent who chooses it.
    Response enrolment_page(Page& page, const app::AccountService::Current& c,
                            const std::string& again, int status) {
        auto e = accounts_.begin_enrolment(c, "Visioguichet", again);
        if (!e) return page.error(503, "error_page.unavailable");
        std::string grouped;
        for (std::size_t i = 0; i < e->secret_base32.size(); i += 4)
            grouped += (i ? " " : "") + e->secret_base32.substr(i, 4);
        page.data()["qr"] = qr_svg(e->otpauth_uri, page.t("staff.enrol_qr_label"));
        page.data()["secret"] = grouped;
        page.data()["sealed"] = e->sealed;
        return page.render(status, "staff/enrol", page.t("staff.enrol_title"));
    }

    Response enrol_form(Request& req) {
        auto c = current(req);
        if (!c) return Response::redirect("/login");
        if (c->session.stage == "totp") return Response::redirect("/login/totp");
        Page page(ctx_, req, nullptr);
        return enrolment_page(page, *c, "", 200);
    }

    Response enrol(Request& req) {
        Page page(ctx_, req, nullptr);
        auto form = http::parse_urlencoded(req.body);
        if (!page.csrf_ok(form)) return page.error(403, "error_page.csrf");
        auto c = current(req);
        if (!c) return Response::redirect("/login");
        if (c->session.stage == "totp") return Response::redirect("/login/totp");
        auto sealed = form_value(form, "enrolment");
        auto codes = accounts_.confirm_enrolment(req.cookie(cookie_name()), sealed,
                                                 form_value(form, "code"));
        if (codes.empty()) {
            page.data()["login_error"] = page.t("staff.code_refused");
            return enrolment_page(page, *c, sealed, 422);
        }
        mstch::array list;
        for (auto& code : codes) list.push_back(code);
        page.data()["codes"] = list;
        return page.render(200, "staff/recovery_codes", page.t("staff.recovery_title"));
    }

    // Forgotten password: the same answer whether the address has an account or not.
    Response reset_form(Request& req) {
        Page page(ctx_, req, nullptr);
        return page.render(200, "staff/reset", page.t("staff.reset_title"));
    }

    Response reset(Request& req) {
        Page page(ctx_, req, nullptr);
        auto form = http::parse_urlencoded(req.body);
        if (!page.csrf_ok(form)) return page.error(403, "error_page.csrf");
        // An IPv6 /64 is one client, as for bookings.
        if (auto wait = accounts_.request_reset(form_value(form, "email"),
                                                http::network_key(req.remote_ip), page.lang())) {
            return page.too_many("error_page.reset_rate_limited", wait);
        }
        page.data()["notice"] = page.t("staff.reset_sent");
        return page.render(200, "staff/login", page.t("staff.login_title"));
    }

    // /account/password/{token}: an invitation's or a reset's link (single use, 30 min).
    Response new_password(Request& req, bool post) {
        Page page(ctx_, req, nullptr);
        http::Params form;
        if (post) {
            form = http::parse_urlencoded(req.body);
            if (!page.csrf_ok(form)) return page.error(403, "error_page.csrf");
        }
        auto token = req.path_param("token").value_or("");
        std::string purpose = "invitation";
        auto account = accounts_.link_account(token, purpose);
        if (!account) account = accounts_.link_account(token, purpose = "reset");
        if (!account) return page.error(410, "error_page.link_used");
        if (post) {
            auto verdict = accounts_.redeem_link(token, purpose, form_value(form, "password"));
            if (verdict.ok) return Response::redirect("/login?password_set=1");
            if (verdict.reason == "link.invalid") return page.error(410, "error_page.link_used");
            page.data()["login_error"] = page.t(verdict.reason);
        }
        page.data()["action"] = "/account/password/" + token;
        page.data()["email"] = account->email;
        return page.render(post ? 422 : 200, "staff/new_password",
                           page.t("staff.new_password_title"));
    }

    Response console_not_found(Request& req) {
        return with_session(req, [&](app::AccountService::Current&) {
            Page page(ctx_, req, nullptr);
            return page.error(404, "error_page.not_found");
        });
    }

  private:
    app::Context& ctx_;
    app::AccountService& accounts_;
    StaffGate gate_;
};

}  // namespace

void register_staff_routes(http::Router& router, app::Context& ctx) {
    if (!ctx.accounts) return;
    auto pages = std::make_shared<StaffPages>(ctx);
    router.get("/login", [pages](Request& r) { return pages->login_form(r); });
    router.post("/login", [pages](Request& r) { return pages->login(r); });
    router.post("/logout", [pages](Request& r) { return pages->logout(r, false); });
    router.post("/logout/everywhere", [pages](Request& r) { return pages->logout(r, true); });
    router.get("/login/totp", [pages](Request& r) { return pages->totp_form(r); });
    router.post("/login/totp", [pages](Request& r) { return pages->totp(r); });
    router.get("/console/totp", [pages](Request& r) { return pages->enrol_form(r); });
    router.post("/console/totp", [pages](Request& r) { return pages->enrol(r); });
    router.get("/login/reset", [pages](Request& r) { return pages->reset_form(r); });
    router.post("/login/reset", [pages](Request& r) { return pages->reset(r); });
    router.get("/account/password/{token}",
               [pages](Request& r) { return pages->new_password(r, false); });
    router.post("/account/password/{token}",
                [pages](Request& r) { return pages->new_password(r, true); });
    router.get("/console", [](Request&) { return Response::redirect("/console/", 301); });
    router.get("/console/", [pages](Request& r) { return pages->console(r); });
    router.post("/console/organisation",
                [pages](Request& r) { return pages->choose_organisation(r); });
    // The console's screens, each file its own part (their routes before the catch-all).
    auto gate = std::make_shared<StaffGate>(ctx);
    for (auto& register_part : console_parts()) register_part(router, gate);
    // Every other console address: signed out, to /login; signed in, not found.
    for (auto pattern :
         {"/console/{a}", "/console/{a}/{b}", "/console/{a}/{b}/{c}", "/console/{a}/{b}/{c}/{d}"})
        router.get(pattern, [pages](Request& r) { return pages->console_not_found(r); });
}

}  // namespace vg::web
