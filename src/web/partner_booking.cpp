// /partner/bookings: see partner_booking.hpp. The same steps as the console's booking on
// behalf (booking_steps.hpp: motif and place, a week of free slots as links, the citizen's
// details), without JavaScript; a refused form comes back with 422, its values and the
// messages in the page's language, nothing written; another partner's appointment id
// answers 404.
#include "web/partner_booking.hpp"

#include <date/tz.h>

#include "app/partner_booking.hpp"
#include "app/tokens.hpp"
#include "core/timefmt.hpp"
#include "text/i18n.hpp"
#include "web/booking_flow.hpp"
#include "web/booking_steps.hpp"

namespace vg::web {

using http::Request;
using http::Response;

namespace {

bool live(const store::Appointment& a) {
    return a.status == store::AppointmentStatus::booked ||
           a.status == store::AppointmentStatus::confirmed;
}

class PartnerBookingPages {
  public:
    explicit PartnerBookingPages(std::shared_ptr<StaffGate> gate)
        : gate_(std::move(gate)),
          ctx_(gate_->context()),
          svc_(ctx_.booking, ctx_.i18n, ctx_.settings.link_base),
          steps_(gate_, booking_flow()) {}

    // ---- the list ----

    Response list(Request& req) {
        return gate_->with_partner(req, [&](Staff& staff) {
            auto org = ctx_.booking.organisation(staff.organisation_slug);
            if (!org) return gate_->not_found(req);
            Page page(ctx_, req, org.get(), staff.current.account.language);
            return list_page(page, staff, *org, {}, 0, 200, req.q("cancelled").has_value());
        });
    }

    Response cancel(Request& req) {
        auto form = http::parse_urlencoded(req.body);
        return gate_->post_with_partner(req, form, [&](Staff& staff) -> Response {
            auto org = ctx_.booking.organisation(staff.organisation_slug);
            auto id = StaffGate::id_param(req, "id");
            if (!org || !id) return gate_->not_found(req);
            Page page(ctx_, req, org.get(), staff.current.account.language);
            auto r = svc_.cancel(staff.organisation_id, *staff.partner_id, *id,
                                 form_value(form, "reason"), staff.actor());
            switch (r.outcome) {
                case app::Outcome::ok:
                    return Response::redirect("/partner/bookings?cancelled=1");
                case app::Outcome::invalid:
                    return list_page(page, staff, *org, r.errors, *id, 422);
                case app::Outcome::gone:
                    page.data()["refusal"] = page.t("partner_booking.cancel_gone");
                    return list_page(page, staff, *org, {}, 0, 409);
                default:
                    return gate_->not_found(req);
            }
        });
    }

    // ---- booking ----

    Response form(Request& req) { return steps_.form(req); }
    Response book(Request& req) { return steps_.book(req); }

    // ---- today at my site ----

    Response today(Request& req) {
        return gate_->with_partner(req, [&](Staff& staff) {
            auto org = ctx_.booking.organisation(staff.organisation_slug);
            if (!org) return gate_->not_found(req);
            Page page(ctx_, req, org.get(), staff.current.account.language);
            auto lang = page.lang();
            mstch::array rows;
            for (auto& b : svc_.today(staff.organisation_id, *staff.partner_id)) {
                auto& a = b.appointment;
                auto m = org->motif(a.motif_id);
                auto zone = core::zone_or_default(b.desk->timezone);
                auto id = std::to_string(a.id);
                rows.push_back(
                    mstch::map{{"id", id},
                               {"when", page.format_datetime(a.starts_at, zone)},
                               {"motif", m ? m->name.pick(lang) : std::string()},
                               {"desk", b.desk->name},
                               {"citizen", a.citizen.first_name + " " + a.citizen.last_name},
                               {"action", "/partner/today/" + id + "/room"}});
            }
            page.data()["appointments"] = rows;
            page.data()["has_appointments"] = !rows.empty();
            page.data()["ended"] = req.q("ended").has_value();
            return page.render(200, "partner/today", page.t("partner_booking.today_title"));
        });
    }

    // A room link minted for the partner's computer; the room page then shows the button that
    // ends the call at the desk.
    Response open_room(Request& req) {
        auto form = http::parse_urlencoded(req.body);
        return gate_->post_with_partner(req, form, [&](Staff& staff) -> Response {
            auto id = StaffGate::id_param(req, "id");
            if (!id) return gate_->not_found(req);
            auto token = svc_.open_desk_room(staff.organisation_id, *staff.partner_id, *id);
            if (!token) return gate_->not_found(req);
            auto res = Response::redirect("/room/" + *token + "?desk=" + std::to_string(*id));
            res.header("Cache-Control", "no-store");
            return res;
        });
    }

    // The call at the desk is over: the link minted for it opens nothing any more, and the
    // browser is told to drop what this site stored and cached (Clear-Site-Data): no chat, no
    // document, no page to come back to (art. 5).
    Response done(Request& req) {
        auto form = http::parse_urlencoded(req.body);
        return gate_->post_with_partner(req, form, [&](Staff& staff) -> Response {
            auto id = StaffGate::id_param(req, "id");
            if (!id || !svc_.close_desk_room(staff.organisation_id, *staff.partner_id, *id,
                                             form_value(form, "token")))
                return gate_->not_found(req);
            auto res = Response::redirect("/partner/today?ended=1");
            res.header("Clear-Site-Data", "\"cache\", \"storage\"");
            res.header("Cache-Control", "no-store");
            return res;
        });
    }

  private:
    struct Choice {
        const store::Motif* motif = nullptr;
        std::optional<app::PartnerPlace> place;
        std::optional<store::PartnerSite> desk;
        std::string place_code;  // as in the form: desk-<id> | site-<id> | phone
    };

    static app::PartnerPlace parse_place(const std::string& v) {
        app::PartnerPlace p;
        auto id_after = [&](const std::string& prefix) -> std::optional<core::Id> {
            if (v.rfind(prefix, 0) != 0) return std::nullopt;
            return parse_number(v.substr(prefix.size()));
        };
        if (v == "phone") {
            p.code = "phone";
            p.channel = core::Channel::phone;
        } else if (auto d = id_after("desk-")) {
            p.code = "desk";
            p.channel = core::Channel::video;
            p.site = d;
        } else if (auto s = id_after("site-")) {
            p.code = "on_site";
            p.channel = core::Channel::on_site;
            p.site = s;
        }
        return p;
    }

    // The motif and place as chosen, kept only when valid for this partner.
    Choice read_choice(const app::OrgData& org, const Staff& staff, const http::Params& p) {
        Choice c;
        auto id = parse_number(form_value(p, "motif"));
        for (auto* m : app::PartnerBookings::motifs(org))
            if (id && m->id == *id) c.motif = m;
        c.place_code = form_value(p, "place");
        if (!c.motif) return c;
        auto place = parse_place(c.place_code);
        if (!(c.motif->rules.channels & core::channel_bit(place.channel))) return c;
        if (place.code == "desk") {
            for (auto& d : svc_.desks(staff.organisation_id, *staff.partner_id))
                if (d.id == *place.site) c.desk = d;
            if (c.desk) c.place = place;
        } else if (place.code == "on_site") {
            auto s = org.site(*place.site);
            if (s && !s->is_partner) c.place = place;
        } else if (place.code == "phone") {
            c.place = place;
        }
        return c;
    }

    void choice_fields(Page& page, const app::OrgData& org, const Staff& staff, const Choice& c) {
        auto& d = page.data();
        auto lang = page.lang();
        mstch::array motifs;
        for (auto* m : app::PartnerBookings::motifs(org))
            motifs.push_back(mstch::map{{"id", std::to_string(m->id)},
                                        {"name", m->name.pick(lang)},
                                        {"selected", c.motif == m}});
        d["motifs"] = motifs;
        d["has_motifs"] = !motifs.empty();
        mstch::array places;
        auto add = [&](const std::string& value, const std::string& label) {
            places.push_back(mstch::map{
                {"value", value}, {"label", label}, {"selected", c.place_code == value}});
        };
        for (auto& x : svc_.desks(staff.organisation_id, *staff.partner_id))
            add("desk-" + std::to_string(x.id),
                text::I18n::fill(page.t("partner_booking.place_desk"), "{desk}", x.name));
        for (auto& s : org.sites)
            if (!s.is_partner)
                add("site-" + std::to_string(s.id),
                    text::I18n::fill(page.t("partner_booking.place_site"), "{site}", s.name));
        add("phone", page.t("partner_booking.place_phone"));
        d["places"] = places;
        if (c.motif) d["motif_id"] = std::to_string(c.motif->id);
        d["place"] = c.place_code;
        if (c.desk) d["desk_name"] = c.desk->name;
        if (c.motif && !c.place && !c.place_code.empty())
            d["place_refused"] = page.t("partner_booking.error_place");
    }

    std::string choice_url(const Page& page, const Choice& c) {
        return "/partner/bookings/new?lang=" + page.lang() +
               "&motif=" + std::to_string(c.motif->id) + "&place=" + c.place_code + "&";
    }

    app::SlotQuery query(const Choice& c) {
        app::SlotQuery q{c.motif->id, c.place->channel, std::nullopt, 0, 0, false};
        if (c.place->code == "on_site") q.site_id = c.place->site;
        return q;
    }

    const date::time_zone* zone_of(const app::OrgData& org, const Choice& c) {
        if (c.desk) return core::zone_or_default(c.desk->timezone);
        if (c.place->code == "on_site")
            if (auto s = org.site(*c.place->site)) return org.zone(*s);
        return org.default_zone();
    }

    // The booking on behalf (booking_steps.hpp): the partner's choice is a motif open to
    // partners, at one of its video desks or at an agency; the booking service checks them
    // again when it books.
    BookingFlow booking_flow() {
        BookingFlow f;
        f.gate = [this](const Request& req, const BookingFlow::Run& run) {
            return gate_->with_partner(req, run);
        };
        f.post_gate = [this](const Request& req, const http::Params& form,
                             const BookingFlow::Run& run) {
            return gate_->post_with_partner(req, form, run);
        };
        f.choice_params = {"motif", "place"};
        f.choose = [this](Page& page, const app::OrgData& org, const Staff& staff,
                          const http::Params& p) {
            auto c = read_choice(org, staff, p);
            choice_fields(page, org, staff, c);
            BookingChoice out;
            out.complete = c.motif && c.place;
            if (!out.complete) return out;
            out.motif = c.motif;
            out.query = query(c);
            out.zone = zone_of(org, c);
            out.url = choice_url(page, c);
            return out;
        };
        f.first_day = [this](const app::OrgData& org,
                             const BookingChoice& c) -> std::optional<core::LocalDay> {
            auto q = c.query;
            q.from = core::local_day_of(ctx_.now(), c.zone);
            q.to = q.from + c.motif->rules.horizon_days;
            if (auto first = ctx_.booking.first_slot(org, q))
                return core::local_day_of(first->start, c.zone);
            return std::nullopt;
        };
        f.book = [this](Page& page, const app::OrgData& org, const Staff& staff,
                        const BookingChoice&, const http::Params& form, core::Instant start,
                        const core::CitizenInput& citizen) {
            app::PartnerBookRequest br;
            br.motif_id = parse_number(form_value(form, "motif")).value_or(0);
            br.place = parse_place(form_value(form, "place"));
            br.start = start;
            br.citizen = citizen;
            br.accept_terms = form_value(form, "accept_terms") == "yes";
            br.terms_version = parse_int(form_value(form, "terms_version")).value_or(0);
            br.idempotency_key = form_value(form, "booking_key");
            auto& acc = staff.current.account;
            app::PartnerHelper helper{staff.organisation_id, *staff.partner_id, acc.id, acc.email,
                                      staff.name(),          page.lang()};
            auto r = svc_.book(org, helper, br);
            return BookingAnswer{r.outcome, r.errors, r.appointment, r.limited};
        };
        f.not_found = [this](const Request& req, Page&) { return gate_->not_found(req); };
        f.templates = {.choice = "partner/booking_new",
                       .details = "partner/booking_details",
                       .booked = "partner/booking_done"};
        f.titles = {.steps = "partner_booking.new_title", .booked = "partner_booking.done_title"};
        f.labels = "partner_booking";
        f.limited_key = "partner_booking.limited";
        return f;
    }

    Response list_page(Page& page, const Staff& staff, const app::OrgData& org,
                       const core::FieldErrors& errors, core::Id failed, int status,
                       bool cancelled = false) {
        auto now = ctx_.now();
        auto lang = page.lang();
        mstch::array rows;
        for (auto& b : svc_.list(staff.organisation_id, *staff.partner_id)) {
            auto& a = b.appointment;
            auto site = org.site(a.site_id);
            auto zone = b.desk ? core::zone_or_default(b.desk->timezone)
                        : site ? org.zone(*site)
                               : org.default_zone();
            auto m = org.motif(a.motif_id);
            std::string where = b.desk ? text::I18n::fill(page.t("partner_booking.place_desk"),
                                                          "{desk}", b.desk->name)
                                : a.channel == core::Channel::phone
                                    ? page.t("partner_booking.place_phone")
                                    : text::I18n::fill(page.t("partner_booking.place_site"),
                                                       "{site}", site ? site->name : std::string());
            auto id = std::to_string(a.id);
            mstch::map row{
                {"id", id},
                {"when", page.format_datetime(a.starts_at, zone)},
                {"motif", m ? m->name.pick(lang) : std::string()},
                {"where", where},
                {"citizen", a.citizen.first_name + " " + a.citizen.last_name},
                {"status", page.t("appointment.status." + std::string(store::to_string(a.status)))},
                {"cancellable", live(a) && a.starts_at > now},
                {"action", "/partner/bookings/" + id + "/cancel"}};
            if (failed == a.id)
                if (auto e = errors.find("reason"); e != errors.end())
                    row["reason_error"] = page.t(e->second);
            rows.push_back(row);
        }
        page.data()["bookings"] = rows;
        page.data()["has_bookings"] = !rows.empty();
        page.data()["cancelled"] = cancelled;
        return page.render(status, "partner/bookings", page.t("partner_booking.list_title"));
    }

    std::shared_ptr<StaffGate> gate_;
    app::Context& ctx_;
    app::PartnerBookings svc_;
    BookingSteps steps_;
};

}  // namespace

void register_partner_booking_routes(http::Router& router, const std::shared_ptr<StaffGate>& gate) {
    auto p = std::make_shared<PartnerBookingPages>(gate);
    router.get("/partner/bookings", [p](Request& r) { return p->list(r); });
    router.get("/partner/bookings/new", [p](Request& r) { return p->form(r); });
    router.post("/partner/bookings", [p](Request& r) { return p->book(r); });
    router.post("/partner/bookings/{id}/cancel", [p](Request& r) { return p->cancel(r); });
    router.get("/partner/today", [p](Request& r) { return p->today(r); });
    router.post("/partner/today/{id}/room", [p](Request& r) { return p->open_room(r); });
    router.post("/partner/today/{id}/done", [p](Request& r) { return p->done(r); });
}

}  // namespace vg::web
