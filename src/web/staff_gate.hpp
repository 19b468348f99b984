// Who is asking, for every staff page: the session cookie, the organisation the person works
// in, their roles there. Console and administration pages take the signed-in person only
// through StaffGate::with_staff, so that no page forgets a check (signed out, second factor
// pending, no organisation chosen, missing role).
#pragma once

#include <algorithm>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>

#include "app/accounts.hpp"
#include "app/context.hpp"
#include "http/message.hpp"
#include "web/page.hpp"

namespace vg::web {

// The signed-in person in the organisation they work in.
struct Staff {
    app::AccountService::Current current;
    core::Id organisation_id = 0;
    std::string organisation_slug;
    std::string organisation_name;
    std::vector<std::string> roles;    // in this organisation
    std::optional<core::Id> agent_id;  // the agent of the agenda they are, when an agent
    // The partner structure they work for, when they hold the partner role (the membership's
    // partner_id, migration 22). Partner staff reach /partner/ only (docs/PARTNERS.md).
    std::optional<core::Id> partner_id;

    bool has(const std::string& role) const {
        return std::find(roles.begin(), roles.end(), role) != roles.end();
    }
    bool admin() const { return has("admin"); }
    bool supervisor() const { return has("supervisor") || has("admin"); }
    bool partner() const { return has("partner"); }
    core::Id account_id() const { return current.account.id; }
    // How the audit journal and the appointments' history name them.
    std::string actor() const { return "account:" + std::to_string(current.account.id); }
    std::string name() const {
        return current.account.display_name.empty() ? current.account.email
                                                    : current.account.display_name;
    }
};

class StaffGate {
  public:
    explicit StaffGate(app::Context& ctx) : ctx_(ctx) {}

    std::string cookie_name() const;
    // HttpOnly, SameSite=Lax, Secure and __Host- under https; clear: expire it.
    std::string cookie(const std::string& value, bool clear) const;
    std::optional<app::AccountService::Current> current(const http::Request& req) const;
    // Where a session at this stage belongs.
    static std::string home_of(const std::string& stage);

    // Runs f with the live, fully signed-in session, or sends the visitor where they belong
    // (signed out: /login; second factor pending: its page).
    template <class F>
    http::Response with_session(const http::Request& req, F f) const {
        auto c = current(req);
        if (!c) return to_login(req);
        if (c->session.stage != "full") return http::Response::redirect(home_of(c->session.stage));
        return f(*c);
    }

    // Runs f(staff) when the person is signed in, works in an organisation and holds one of
    // `roles` there (empty list: any console role, i.e. agent, supervisor or admin); otherwise
    // the refusal (to /login, to /console/ to choose an organisation, or 403 in the page's
    // language). Partner staff pass only where "partner" is listed: the console's pages are
    // not theirs (they work at /partner/, with_partner).
    template <class F>
    http::Response with_staff(const http::Request& req, std::initializer_list<const char*> roles,
                              F f) const {
        return with_session(req, [&](app::AccountService::Current& c) -> http::Response {
            auto staff = make_staff(c);
            if (!staff) return http::Response::redirect("/console/");
            bool allowed = roles.size() == 0 && !staff->partner();
            for (auto r : roles) allowed = allowed || staff->has(r);
            if (!allowed) return forbidden(req);
            return f(*staff);
        });
    }

    // The partner's own pages: with_staff for the partner role, and the membership names a
    // partner (staff.partner_id set). Agents, supervisors and administrators: 403.
    template <class F>
    http::Response with_partner(const http::Request& req, F f) const {
        return with_staff(req, {"partner"}, [&](Staff& staff) -> http::Response {
            if (!staff.partner_id) return forbidden(req);
            return f(staff);
        });
    }
    // A partner's POST: the CSRF check first (403), then with_partner.
    template <class F>
    http::Response post_with_partner(const http::Request& req, const http::Params& form,
                                     F f) const {
        Page page(ctx_, req, nullptr);
        if (!page.csrf_ok(form)) return page.error(403, "error_page.csrf");
        return with_partner(req, std::move(f));
    }

    // A state-changing request: the CSRF check first (403), then with_staff.
    template <class F>
    http::Response post_with_staff(const http::Request& req, const http::Params& form,
                                   std::initializer_list<const char*> roles, F f) const {
        Page page(ctx_, req, nullptr);
        if (!page.csrf_ok(form)) return page.error(403, "error_page.csrf");
        return with_staff(req, roles, std::move(f));
    }

    http::Response forbidden(const http::Request& req) const;
    // An object id of the URL that is not a number, or not of this organisation, or not
    // visible to this person: 404, the same answer whether it exists elsewhere or not.
    http::Response not_found(const http::Request& req) const;
    static std::optional<core::Id> id_param(const http::Request& req, const std::string& name);

    app::Context& context() const { return ctx_; }

    // The person in the organisation the session works in; nullopt when none is chosen.
    std::optional<Staff> make_staff(const app::AccountService::Current& c) const;

  private:
    http::Response to_login(const http::Request& req) const;
    std::optional<std::string> language_of(const http::Request& req) const;
    app::Context& ctx_;
};

// A posted form as name -> value, the last value of a name winning (a field sent twice
// counts once); the shape app::Fields has.
inline std::map<std::string, std::string> form_fields(const http::Params& form) {
    std::map<std::string, std::string> f;
    for (auto& [k, v] : form) f[k] = v;
    return f;
}

}  // namespace vg::web
