// "Send me my link again": a citizen who lost the management link types the e-mail address
// or phone number given at booking; the links of that contact's upcoming appointments go to
// it again. The answer never says whether anything was found.
#include "http/address.hpp"
#include "web/citizen_pages.hpp"
#include "web/page.hpp"

namespace vg::web {

namespace {

using http::Request;
using http::Response;

// Longest contact shown back in the form after an error.
constexpr std::size_t kShownBack = 320;

class ResendPages {
  public:
    explicit ResendPages(app::Context& ctx) : ctx_(ctx) {}

    // GET /resend: the organisation first (the form belongs to one), at once when only one.
    Response choose(Request& req) {
        Page page(ctx_, req, nullptr);
        mstch::array orgs;
        std::vector<std::string> slugs;
        ctx_.booking.store().read([&](store::Session& s) {
            for (auto& o : s.organisations()) {
                orgs.push_back(mstch::map{{"name", o.name}, {"url", "/" + o.slug + "/resend"}});
                slugs.push_back(o.slug);
            }
        });
        if (slugs.size() == 1)
            return Response::redirect(
                "/" + http::url_encode(slugs.front()) + "/resend?lang=" + page.lang(), 302);
        page.data()["organisations"] = orgs;
        page.data()["heading"] = page.t("resend.title");
        page.data()["intro"] = page.t("resend.choose_organisation");
        return page.render(200, "citizen/home", page.t("resend.title"));
    }

    // GET /{org}/resend: the form, or (sent=1) what happens next.
    Response form(Request& req) {
        auto org = load(req);
        Page page(ctx_, req, org.get());
        if (!org) return page.error(404, "error_page.not_found");
        if (req.q("sent")) page.data()["sent"] = true;
        return show(page, *org, 200);
    }

    // POST /{org}/resend
    Response send(Request& req) {
        auto org = load(req);
        Page page(ctx_, req, org.get());
        if (!org) return page.error(404, "error_page.not_found");
        auto form = http::parse_urlencoded(req.body);
        if (!page.csrf_ok(form)) return page.error(403, "error_page.csrf");
        auto contact = form_value(form, "contact");
        // An IPv6 /64 is one client, as for bookings.
        auto r = ctx_.booking.resend_links(*org, contact, http::network_key(req.remote_ip));
        if (r.outcome == app::Outcome::invalid) {
            page.add_errors(r.errors);
            if (contact.size() <= kShownBack && core::is_valid_utf8(contact))
                page.data()["contact"] = contact;
            return show(page, *org, 400);
        }
        if (r.limited) {
            return page.too_many("error_page.resend_rate_limited", r.retry_after);
        }
        // Found or not: the same answer.
        return Response::redirect("/" + http::url_encode(org->org.slug) +
                                  "/resend?sent=1&lang=" + page.lang());
    }

  private:
    std::shared_ptr<const app::OrgData> load(Request& req) {
        auto slug = req.path_param("org");
        if (!slug || slug->size() > 64) return nullptr;
        return ctx_.booking.organisation(*slug);
    }

    Response show(Page& page, const app::OrgData& org, int status) {
        page.data()["resend_action"] = "/" + org.org.slug + "/resend";
        page.data()["home_url"] = "/" + org.org.slug + "/?lang=" + page.lang();
        return page.render(status, "citizen/resend", page.t("resend.title"));
    }

    app::Context& ctx_;
};

}  // namespace

void register_resend_routes(http::Router& router, app::Context& ctx) {
    auto pages = std::make_shared<ResendPages>(ctx);
    router.get("/resend", [pages](Request& r) { return pages->choose(r); });
    router.get("/{org}/resend", [pages](Request& r) { return pages->form(r); });
    router.post("/{org}/resend", [pages](Request& r) { return pages->send(r); });
}

}  // namespace vg::web
