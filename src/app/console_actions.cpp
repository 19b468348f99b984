// BookingService operations of the console's appointment page (issue 12): arrival, held with
// its outcome, moved to phone, rescheduled by the agency. Cancellation by the agency and
// the no-show are booking_service.cpp's cancel_by_agency and record_outcome.
#include <nlohmann/json.hpp>

#include "app/booking_service.hpp"
#include "app/console_appointment.hpp"
#include "app/message_plan.hpp"

namespace vg::app {

using nlohmann::json;
using store::AppointmentStatus;

std::optional<AppointmentView> BookingService::find_by_id(Id org, Id id) {
    std::optional<AppointmentView> out;
    store_.read([&](store::Session& s) {
        auto a = s.appointment_by_id(org, id);  // scoped by organisation
        if (!a) return;
        auto o = s.organisation_by_id(org);
        if (!o) return;
        out = AppointmentView{*a, OrgData{*o, s.sites(org), s.motifs(org), s.current_terms(org)}};
    });
    return out;
}

ChangeResult BookingService::record_arrival(Id org, Id id, const std::string& actor) {
    const Instant now = clock_.now();
    ChangeResult r;
    store_.write([&](store::Session& s) {
        auto a = s.appointment_by_id(org, id);
        if (!a) {
            r.outcome = Outcome::not_found;
            return;
        }
        r.appointment = *a;
        bool live =
            a->status == AppointmentStatus::booked || a->status == AppointmentStatus::confirmed;
        bool already = false;
        for (auto& e : s.appointment_events(id)) already |= e.kind == "arrived";
        if (!live || now < a->starts_at - 3600 || already) {
            r.outcome = Outcome::gone;
            return;
        }
        s.add_event(id, "arrived", actor, "{}");
        s.add_audit({org, actor, "appointment.arrival", "appointment", id, "{}"});
    });
    return r;
}

ChangeResult BookingService::record_done(Id org, Id id, const store::AppointmentOutcome& form,
                                         const std::string& actor) {
    const Instant now = clock_.now();
    ChangeResult r;
    store_.write([&](store::Session& s) {
        auto a = s.appointment_by_id(org, id);
        if (!a) {
            r.outcome = Outcome::not_found;
            return;
        }
        r.appointment = *a;
        bool live =
            a->status == AppointmentStatus::booked || a->status == AppointmentStatus::confirmed;
        bool held = a->status == AppointmentStatus::honoured;
        if (!(live && a->starts_at <= now) && !held) {
            r.outcome = Outcome::gone;  // not started yet, cancelled or missed
            return;
        }
        r.errors = check_outcome(form, outcome_items_in(s, org, true));
        if (!r.errors.empty()) {
            r.outcome = Outcome::invalid;
            return;  // the items written by outcome_items_in are the defaults: harmless
        }
        auto o = form;
        o.appointment_id = id;
        o.organisation_id = org;
        o.recorded_by = actor;
        s.set_outcome(o);
        json detail = {{"resolved", o.resolved}};
        if (held) {
            s.add_event(id, "outcome_updated", actor, detail.dump());
            s.add_audit(
                {org, actor, "appointment.outcome_updated", "appointment", id, detail.dump()});
        } else {
            record_outcome_in(s, *a, AppointmentStatus::honoured, actor, now);
        }
        r.appointment = *a;
    });
    if (r.outcome == Outcome::ok) {
        ++bookings_generation_;
        queued();
    }
    return r;
}

ChangeResult BookingService::move_to_phone(Id org, Id id, const std::string& actor, bool in_call) {
    const Instant now = clock_.now();
    ChangeResult r;
    auto view = find_by_id(org, id);
    if (!view) return {Outcome::not_found, {}, {}, {}};
    store_.write([&](store::Session& s) {
        auto a = s.appointment_by_id(org, id);
        if (!a) {
            r.outcome = Outcome::not_found;
            return;
        }
        r.appointment = *a;
        AppointmentView fresh{*a, view->org};
        bool movable = in_call ? fresh.live() : fresh.changeable(now);
        if (!movable || a->channel == core::Channel::phone) {
            r.outcome = Outcome::gone;
            return;
        }
        // The booking's rules for the phone channel: a valid number is required.
        auto site = view->org.site(a->site_id);
        auto& c = a->citizen;
        core::CitizenInput in{c.first_name, c.last_name,          c.email, c.phone,
                              c.language,   c.beneficiary_number, c.needs};
        auto errors =
            core::validate_citizen(in, citizen_rules(view->org, core::Channel::phone, site));
        if (errors.count("phone")) {
            r.outcome = Outcome::invalid;
            r.errors["phone"] = c.phone.empty() ? "error.phone_required" : errors["phone"];
            return;
        }
        auto motif = view->org.motif(a->motif_id);
        if (!motif || !site) {
            r.outcome = Outcome::gone;
            return;
        }
        json detail = {{"from", core::to_string(a->channel)}, {"to", "phone"}};
        a->channel = core::Channel::phone;
        a->citizen.phone = in.phone;  // as the booking stores it
        a->updated_at = now;
        ++a->sequence;
        s.update_appointment(*a);
        s.add_event(id, "moved_to_phone", actor, detail.dump());
        s.add_audit({org, actor, "appointment.moved_to_phone", "appointment", id, detail.dump()});
        plan_changed(s, {*a, *motif, view->org.zone(*site), now, ""}, "moved_to_phone");
        r.appointment = *a;
    });
    if (r.outcome == Outcome::ok) {
        ++bookings_generation_;
        queued();
    }
    return r;
}

ChangeResult BookingService::reschedule_by_agency(Id org, Id id, Instant start,
                                                  std::optional<Id> site,
                                                  const std::string& actor) {
    auto view = find_by_id(org, id);
    if (!view) return {Outcome::not_found, {}, {}, {}};
    // No token here: the message cannot carry the management link (as cancel_by_agency).
    return reschedule_view(*view, start, site, actor, "",
                           [&](store::Session& s) { return s.appointment_by_id(org, id); });
}

}  // namespace vg::app
