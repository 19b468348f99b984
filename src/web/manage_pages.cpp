// The private management link: view, cancel, reschedule, .ics. The token in the path is a
// secret: never logged (the access log prints the route pattern), Referrer-Policy no-referrer.
#include <date/tz.h>

#include "core/timefmt.hpp"
#include "notify/composer.hpp"
#include "store/secrets.hpp"
#include "text/i18n.hpp"
#include "web/booking_flow.hpp"
#include "web/citizen_pages.hpp"

namespace vg::web {

namespace {

using http::Request;
using http::Response;

class ManagePages {
  public:
    explicit ManagePages(app::Context& ctx) : ctx_(ctx) {}

    Response view(Request& req) {
        return visit(req, false,
                     [&](const std::string& token, [[maybe_unused]] const app::AppointmentView* v,
                         Page& page, [[maybe_unused]] const http::Params& form) -> Response {
                         if (v->appointment.token_expires_at < ctx_.now())
                             return expired(page, v->org);
                         fill(page, *v, token);
                         if (req.q("created")) page.data()["just_created"] = true;
                         if (req.q("rescheduled")) page.data()["just_rescheduled"] = true;
                         if (req.q("cancelled")) page.data()["just_cancelled"] = true;
                         if (req.q("presence")) page.data()["just_confirmed"] = true;
                         if (req.q("sms_off")) page.data()["just_sms_off"] = true;
                         if (req.q("contact")) page.data()["just_contact"] = true;
                         return page.render(200, "citizen/manage", page.t("manage.title"));
                     });
    }

    // GET: the question, with the summary and an optional reason; POST: the cancellation.
    Response cancel_form(Request& req) {
        return visit(
            req, false,
            [&](const std::string& token, [[maybe_unused]] const app::AppointmentView* v,
                Page& page, [[maybe_unused]] const http::Params& form) -> Response {
                if (!v->changeable(ctx_.now()) || v->appointment.token_expires_at < ctx_.now())
                    return page.error(410, "error_page.not_changeable");
                fill(page, *v, token);
                return page.render(200, "citizen/cancel", page.t("manage.cancel_confirm_title"));
            });
    }

    Response cancel(Request& req) {
        return visit(
            req, true,
            [&](const std::string& token, [[maybe_unused]] const app::AppointmentView* v,
                Page& page, [[maybe_unused]] const http::Params& form) -> Response {
                auto now = ctx_.now();
                // The same limit as booking and rescheduling (and the API's cancel).
                if (!ctx_.booking_limiter.allow(req.remote_ip, now)) {
                    return page.too_many("error_page.rate_limited",
                                         ctx_.booking_limiter.retry_after(req.remote_ip, now));
                }
                auto r = ctx_.booking.cancel(token, form_value(form, "reason"));
                if (r.outcome == app::Outcome::invalid) {
                    fill(page, *v, token);
                    page.add_errors(r.errors);
                    page.data()["reason"] = form_value(form, "reason");
                    return page.render(422, "citizen/cancel",
                                       page.t("manage.cancel_confirm_title"));
                }
                if (r.outcome == app::Outcome::gone)
                    return page.error(410, "error_page.not_changeable");
                if (r.outcome != app::Outcome::ok) return page.error(404, "error_page.not_found");
                return Response::redirect(base(token) + "?cancelled=1&lang=" + page.lang());
            });
    }

    // GET: week view, or with ?slot= the confirmation of the move.
    Response reschedule_form(Request& req) {
        return visit(req, false,
                     [&](const std::string& token, [[maybe_unused]] const app::AppointmentView* v,
                         Page& page, [[maybe_unused]] const http::Params& form) -> Response {
                         auto now = ctx_.now();
                         if (!v->changeable(now) || v->appointment.token_expires_at < now)
                             return page.error(410, "error_page.not_changeable");
                         fill(page, *v, token);
                         if (auto slot = req.q("slot")) {
                             auto start = parse_number(*slot);
                             if (!start) return page.error(400, "error_page.bad_request");
                             auto m = v->motif();
                             auto site = v->site();
                             auto end = *start + core::Instant(m->rules.duration_minutes) * 60;
                             page.data()["new_summary"] = summary(
                                 page, v->org, *m, v->appointment.channel, site, *start, end);
                             page.data()["slot"] = std::to_string(*start);
                             return page.render(200, "citizen/reschedule_confirm",
                                                page.t("reschedule.title"));
                         }
                         return week(page, *v, token, req, 200, "");
                     });
    }

    Response reschedule(Request& req) {
        return visit(req, true,
                     [&](const std::string& token, [[maybe_unused]] const app::AppointmentView* v,
                         Page& page, [[maybe_unused]] const http::Params& form) -> Response {
                         auto now = ctx_.now();
                         if (!ctx_.booking_limiter.allow(req.remote_ip, now)) {
                             return page.too_many(
                                 "error_page.rate_limited",
                                 ctx_.booking_limiter.retry_after(req.remote_ip, now));
                         }
                         auto start = parse_number(form_value(form, "slot"));
                         if (!start) return page.error(400, "error_page.bad_request");
                         auto r = ctx_.booking.reschedule(token, *start, std::nullopt);
                         switch (r.outcome) {
                             case app::Outcome::ok:
                                 return Response::redirect(base(token) +
                                                           "?rescheduled=1&lang=" + page.lang());
                             case app::Outcome::conflict:
                                 fill(page, *v, token);
                                 return week(page, *v, token, req, 409, "booking.slot_taken");
                             case app::Outcome::gone:
                                 return page.error(410, "error_page.not_changeable");
                             default:
                                 return page.error(404, "error_page.not_found");
                         }
                     });
    }

    Response ics(Request& req) {
        auto token = *req.path_param("token");
        auto v = ctx_.booking.find(token);
        if (!v) return missing(req);
        auto& a = v->appointment;
        if (a.token_expires_at < ctx_.now()) {
            Page page(ctx_, req, &v->org);
            return expired(page, v->org);
        }
        auto lang = a.citizen.language.empty() ? std::string("fr") : a.citizen.language;
        auto site = v->site();
        auto e =
            notify::appointment_event(ctx_.i18n, lang, v->org.org, a, *v->motif(), site,
                                      ctx_.settings.link_base + base(token),
                                      {ctx_.settings.installation_id, ctx_.settings.public_host});
        e.cancelled = !v->live();
        e.description = ctx_.i18n.t(lang, "ics.description") + "\n" + e.url;
        e.organizer_email = v->org.org.sender_email;
        auto res = Response::text(200, notify::make_ics(e));
        res.content_type = "text/calendar; charset=utf-8";
        res.header("Content-Disposition", "attachment; filename=\"rendez-vous.ics\"");
        res.header("Cache-Control", "no-store");
        return res;
    }

    // GET: the question; POST: the answer. A GET never changes anything (mail scanners
    // follow links).
    Response presence_form(Request& req) {
        return visit(req, false,
                     [&](const std::string& token, [[maybe_unused]] const app::AppointmentView* v,
                         Page& page, [[maybe_unused]] const http::Params& form) -> Response {
                         if (!v->changeable(ctx_.now()))
                             return page.error(410, "error_page.not_changeable");
                         fill(page, *v, token);
                         page.data()["presence_action"] = base(token) + "/presence";
                         return page.render(200, "citizen/presence", page.t("presence.title"));
                     });
    }

    Response presence(Request& req) {
        return visit(req, true,
                     [&](const std::string& token, [[maybe_unused]] const app::AppointmentView* v,
                         Page& page, [[maybe_unused]] const http::Params& form) -> Response {
                         auto r = ctx_.booking.confirm_presence(token);
                         if (r.outcome == app::Outcome::gone)
                             return page.error(410, "error_page.not_changeable");
                         if (r.outcome != app::Outcome::ok)
                             return page.error(404, "error_page.not_found");
                         return Response::redirect(base(token) + "?presence=1&lang=" + page.lang());
                     });
    }

    Response survey_form(Request& req) {
        return visit(req, false,
                     [&](const std::string& token, [[maybe_unused]] const app::AppointmentView* v,
                         Page& page, [[maybe_unused]] const http::Params& form) -> Response {
                         // Offered after a held appointment only (and thanked after the answer).
                         if (!req.q("done") && !v->survey_open(ctx_.now()))
                             return page.error(410, "error_page.survey_closed");
                         fill(page, *v, token);
                         page.data()["survey_action"] = base(token) + "/survey";
                         if (req.q("done")) page.data()["done"] = true;
                         return page.render(200, "citizen/survey", page.t("survey.title"));
                     });
    }

    Response survey(Request& req) {
        return visit(
            req, true,
            [&](const std::string& token, [[maybe_unused]] const app::AppointmentView* v,
                Page& page, [[maybe_unused]] const http::Params& form) -> Response {
                auto rating = parse_int(form_value(form, "rating"));
                auto r = ctx_.booking.answer_survey(token, rating.value_or(0),
                                                    form_value(form, "comment"));
                if (r.outcome == app::Outcome::invalid) {
                    fill(page, *v, token);
                    page.add_errors(r.errors);
                    page.data()["survey_action"] = base(token) + "/survey";
                    page.data()["comment"] = form_value(form, "comment");
                    return page.render(422, "citizen/survey", page.t("survey.title"));
                }
                if (r.outcome == app::Outcome::gone)
                    return page.error(410, "error_page.survey_closed");
                if (r.outcome != app::Outcome::ok) return page.error(404, "error_page.not_found");
                return Response::redirect(base(token) + "/survey?done=1&lang=" + page.lang());
            });
    }

    // POST: the citizen corrects the e-mail address or phone number.
    Response contact(Request& req) {
        return visit(req, true,
                     [&](const std::string& token, [[maybe_unused]] const app::AppointmentView* v,
                         Page& page, [[maybe_unused]] const http::Params& form) -> Response {
                         auto email = form_value(form, "email");
                         auto phone = form_value(form, "phone");
                         auto r = ctx_.booking.update_contact(token, email, phone);
                         if (r.outcome == app::Outcome::invalid) {
                             fill(page, *v, token);
                             page.add_errors(r.errors);
                             page.data()["email"] = email;
                             page.data()["phone"] = phone;
                             return page.render(422, "citizen/manage", page.t("manage.title"));
                         }
                         if (r.outcome == app::Outcome::gone)
                             return page.error(410, "error_page.not_changeable");
                         if (r.outcome != app::Outcome::ok)
                             return page.error(404, "error_page.not_found");
                         return Response::redirect(base(token) + "?contact=1&lang=" + page.lang() +
                                                   "#contact");
                     });
    }

    Response sms_opt_out(Request& req) {
        return visit(req, true,
                     [&](const std::string& token, [[maybe_unused]] const app::AppointmentView* v,
                         Page& page, [[maybe_unused]] const http::Params& form) -> Response {
                         auto r = ctx_.booking.opt_out_sms(token);
                         if (r.outcome != app::Outcome::ok)
                             return page.error(400, "error_page.bad_request");
                         return Response::redirect(base(token) + "?sms_off=1&lang=" + page.lang());
                     });
    }

  private:
    // Finds the appointment of the link, builds the page and, for a POST, checks the CSRF
    // token; then f(token, view, page, form).
    template <class F>
    Response visit(Request& req, bool post, F&& f) {
        auto token = *req.path_param("token");
        auto v = ctx_.booking.find(token);
        if (!v) return missing(req);
        Page page(ctx_, req, &v->org);
        http::Params form;
        if (post) {
            form = http::parse_urlencoded(req.body);
            if (!page.csrf_ok(form)) return page.error(403, "error_page.csrf");
        }
        return f(token, &*v, page, form);
    }

    static std::string base(const std::string& token) { return "/manage/" + token; }

    // A link that leads nowhere, or no longer: "send me my link again" is offered.
    Response missing(Request& req) {
        Page page(ctx_, req, nullptr);
        page.data()["resend_url"] = "/resend?lang=" + page.lang();
        return page.error(404, "error_page.unknown_link");
    }

    static Response expired(Page& page, const app::OrgData& org) {
        page.data()["resend_url"] = "/" + org.org.slug + "/resend?lang=" + page.lang();
        return page.error(410, "error_page.link_expired");
    }

    void fill(Page& page, const app::AppointmentView& v, const std::string& token) {
        auto& a = v.appointment;
        auto m = v.motif();
        auto& d = page.data();
        auto sum = summary(page, v.org, *m, a.channel, v.site(), a.starts_at, a.ends_at);
        // Nothing to prepare for an appointment that will not take place.
        if (!v.live()) sum["has_documents"] = false;
        d["summary"] = sum;
        d["status"] = page.t("status." + std::string(store::to_string(a.status)));
        d["live"] = v.live();
        d["changeable"] = v.changeable(ctx_.now());
        d["cancelled"] = a.status == store::AppointmentStatus::cancelled;
        d["cancel_reason"] = a.cancel_reason;
        d["citizen_name"] = a.citizen.first_name + " " + a.citizen.last_name;
        d["phone"] = a.citizen.phone;
        d["email"] = a.citizen.email;
        d["has_phone"] = !a.citizen.phone.empty();
        d["needs"] = a.citizen.needs;
        d["contact_action"] = base(token) + "/contact";
        d["sms_opt_out_action"] = base(token) + "/sms-opt-out";
        d["presence_url"] = base(token) + "/presence?lang=" + page.lang();
        d["presence_confirmed"] = a.status == store::AppointmentStatus::confirmed;
        d["manage_url"] = base(token) + "?lang=" + page.lang();
        d["ics_url"] = base(token) + "/ics";
        d["cancel_action"] = base(token) + "/cancel";
        d["cancel_url"] = base(token) + "/cancel?lang=" + page.lang();
        d["reschedule_url"] = base(token) + "/reschedule?lang=" + page.lang();
        d["reschedule_action"] = base(token) + "/reschedule";
        d["book_again_url"] = "/" + v.org.org.slug + "/?lang=" + page.lang();
        d["device_test_url"] = "/" + v.org.org.slug + "/device-test?lang=" + page.lang();
        d["camera_required"] = v.org.org.camera_required;  // said beside the room's link
        // The video room (docs/VIDEO.md): its token derives from this management token.
        if (a.channel == core::Channel::video)
            d["room_url"] = "/room/" + store::room_token_for(token) + "?lang=" + page.lang();
        d["expires"] =
            page.format_date(core::local_day_of(a.token_expires_at, v.org.default_zone()));
    }

    Response week(Page& page, const app::AppointmentView& v, const std::string& token,
                  const Request& req, int status, const std::string& notice) {
        auto now = ctx_.now();
        auto site = v.site();
        auto zone = v.org.zone(*site);
        auto m = v.motif();
        auto today = core::local_day_of(now, zone);
        app::SlotQuery q{m->id, v.appointment.channel, site->id, 0, 0};
        if (v.appointment.channel == core::Channel::video && !site->is_partner) q.site_id.reset();
        // The week of the current appointment unless another is asked for.
        auto shown = choose_week(asked_week(req), core::local_day_of(v.appointment.starts_at, zone),
                                 today, m->rules.horizon_days);
        q.from = shown.monday;
        q.to = shown.monday + 6;
        auto slots = ctx_.booking.slots(v.org, q);
        // The current appointment's own start is not a move.
        std::erase_if(slots, [&](auto& s) { return s.start == v.appointment.starts_at; });
        add_week(page, slots, shown, base(token) + "/reschedule?lang=" + page.lang() + "&");
        if (!notice.empty()) page.data()["notice"] = page.t(notice);
        return page.render(status, "citizen/reschedule", page.t("reschedule.title"));
    }

    app::Context& ctx_;
};

}  // namespace

void register_manage_routes(http::Router& router, app::Context& ctx) {
    auto pages = std::make_shared<ManagePages>(ctx);
    router.get("/manage/{token}", [pages](Request& r) { return pages->view(r); });
    router.get("/manage/{token}/ics", [pages](Request& r) { return pages->ics(r); });
    router.get("/manage/{token}/cancel", [pages](Request& r) { return pages->cancel_form(r); });
    router.post("/manage/{token}/cancel", [pages](Request& r) { return pages->cancel(r); });
    router.get("/manage/{token}/reschedule",
               [pages](Request& r) { return pages->reschedule_form(r); });
    router.post("/manage/{token}/reschedule", [pages](Request& r) { return pages->reschedule(r); });
    router.get("/manage/{token}/presence", [pages](Request& r) { return pages->presence_form(r); });
    router.post("/manage/{token}/presence", [pages](Request& r) { return pages->presence(r); });
    router.get("/manage/{token}/survey", [pages](Request& r) { return pages->survey_form(r); });
    router.post("/manage/{token}/survey", [pages](Request& r) { return pages->survey(r); });
    router.post("/manage/{token}/contact", [pages](Request& r) { return pages->contact(r); });
    router.post("/manage/{token}/sms-opt-out",
                [pages](Request& r) { return pages->sms_opt_out(r); });
    // The device test, with the organisation's branding when reached from its pages; the
    // TURN relay's addresses let it check the relay can be reached (device-test.js).
    auto device_test = [&ctx](Page& page) {
        std::string urls;
        for (auto& u : ctx.settings.turn_urls) urls += (urls.empty() ? "" : ",") + u;
        page.data()["turn_urls"] = urls;
        return page.render(200, "citizen/device_test", page.t("device_test.title"));
    };
    router.get("/device-test", [&ctx, device_test](Request& r) {
        Page page(ctx, r, nullptr);
        return device_test(page);
    });
    router.get("/{org}/device-test", [&ctx, device_test](Request& r) {
        auto org = ctx.booking.organisation(*r.path_param("org"));
        Page page(ctx, r, org.get());
        if (!org) return page.error(404, "error_page.not_found");
        page.data()["camera_required"] = org->org.camera_required;
        return device_test(page);
    });
}

}  // namespace vg::web
