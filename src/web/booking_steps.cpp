// See booking_steps.hpp.
#include "web/booking_steps.hpp"

#include "app/tokens.hpp"
#include "core/timefmt.hpp"
#include "web/booking_flow.hpp"

namespace vg::web {

using http::Request;
using http::Response;

BookingSteps::BookingSteps(std::shared_ptr<StaffGate> gate, BookingFlow flow)
    : gate_(std::move(gate)), ctx_(gate_->context()), flow_(std::move(flow)) {}

Response BookingSteps::form(const Request& req) const {
    return flow_.gate(req, [&](Staff& staff) -> Response {
        auto org = ctx_.booking.organisation(staff.organisation_slug);
        if (!org) return gate_->not_found(req);
        Page page(ctx_, req, org.get(), staff.current.account.language);
        http::Params p;
        for (auto& name : flow_.choice_params)
            if (auto v = req.q(name)) p.emplace(name, *v);
        auto c = flow_.choose(page, *org, staff, p);
        if (!c.complete) return first_step(page, 200);
        if (auto slot = req.q("slot")) {
            auto start = parse_number(*slot);
            if (!start) return page.error(400, "error_page.bad_request");
            return details(page, *org, c, *start, {}, {}, 200);
        }
        return week(page, *org, c, req, 200);
    });
}

Response BookingSteps::book(const Request& req) const {
    auto form = http::parse_urlencoded(req.body);
    return flow_.post_gate(req, form, [&](Staff& staff) -> Response {
        auto org = ctx_.booking.organisation(staff.organisation_slug);
        if (!org) return gate_->not_found(req);
        Page page(ctx_, req, org.get(), staff.current.account.language);
        auto c = flow_.choose(page, *org, staff, form);
        auto start = parse_number(form_value(form, "slot"));
        if (!start || (flow_.refuse_incomplete && !c.complete))
            return page.error(400, "error_page.bad_request");
        auto citizen = citizen_from(form);
        auto r = flow_.book(page, *org, staff, c, form, *start, citizen);
        if (r.limited) {
            page.data()["refusal"] = page.t(flow_.limited_key);
            return first_step(page, 429);
        }
        switch (r.outcome) {
            case app::Outcome::ok: {
                auto& a = r.appointment;
                auto m = org->motif(a.motif_id);
                page.data()["summary"] = summary(page, *org, *m, a.channel, org->site(a.site_id),
                                                 a.starts_at, a.ends_at);
                page.data()["citizen_name"] = a.citizen.first_name + " " + a.citizen.last_name;
                if (flow_.booked_fields) flow_.booked_fields(page, staff, a);
                return page.render(201, flow_.templates.booked, page.t(flow_.titles.booked));
            }
            case app::Outcome::invalid:
                if (!c.complete) {
                    // The motif or the place itself is refused: the first step again.
                    page.add_errors(r.errors, flow_.labels);
                    return first_step(page, 422);
                }
                return details(page, *org, c, *start, citizen, r.errors, 422);
            case app::Outcome::conflict:
                page.data()["refusal"] = page.t("booking.slot_taken");
                if (!c.complete) return first_step(page, 409);
                return week(page, *org, c, req, 409);
            default:
                return flow_.not_found(req, page);
        }
    });
}

Response BookingSteps::first_step(Page& page, int status) const {
    return page.render(status, flow_.templates.choice, page.t(flow_.titles.steps));
}

Response BookingSteps::week(Page& page, const app::OrgData& org, const BookingChoice& c,
                            const Request& req, int status) const {
    auto q = c.query;
    auto today = core::local_day_of(ctx_.now(), c.zone);
    auto first = flow_.first_day(org, c);
    auto w = choose_week(asked_week(req), first.value_or(today), today, c.motif->rules.horizon_days,
                         first);
    q.from = w.monday;
    q.to = w.monday + 6;
    add_week(page, ctx_.booking.slots(org, q), w, c.url);
    page.data()["show_week"] = true;
    return first_step(page, status);
}

Response BookingSteps::details(Page& page, const app::OrgData& org, const BookingChoice& c,
                               core::Instant start, const core::CitizenInput& citizen,
                               const core::FieldErrors& errors, int status) const {
    add_citizen_fields(page, citizen);
    page.add_errors(errors, flow_.labels);
    auto& d = page.data();
    auto end = start + core::Instant(c.motif->rules.duration_minutes) * 60;
    const store::Site* site = c.query.site_id ? org.site(*c.query.site_id) : nullptr;
    d["new_summary"] = summary(page, org, *c.motif, c.query.channel, site, start, end);
    d["slot"] = std::to_string(start);
    d["asks_beneficiary_number"] = c.motif->asks_beneficiary_number;
    d["phone_required"] = c.query.channel == core::Channel::phone;
    d["back_url"] = c.url;
    d["booking_key"] = app::new_token();
    if (org.terms) d["terms_version"] = std::to_string(org.terms->version);
    return page.render(status, flow_.templates.details, page.t(flow_.titles.steps));
}

}  // namespace vg::web
