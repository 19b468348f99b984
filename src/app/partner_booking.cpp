// The partner books on a citizen's behalf (issue 15): see partner_booking.hpp.
#include "app/partner_booking.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "app/tokens.hpp"
#include "core/timefmt.hpp"
#include "text/i18n.hpp"

namespace vg::app {

using nlohmann::json;

PartnerBookings::PartnerBookings(BookingService& booking, const text::I18n& i18n,
                                 std::string link_base, int per_hour)
    : booking_(booking), i18n_(i18n), link_base_(std::move(link_base)), limiter_(per_hour, 3600) {}

std::vector<const store::Motif*> PartnerBookings::motifs(const OrgData& org) {
    std::vector<const store::Motif*> out;
    for (auto& m : org.motifs)
        if (m.open_to_partners && org.public_motif(m.id)) out.push_back(&m);
    return out;
}

std::vector<store::PartnerSite> PartnerBookings::desks(Id organisation_id, Id partner_id) {
    std::vector<store::PartnerSite> out;
    booking_.store().read([&](store::Session& s) {
        for (auto& x : s.partner_sites(organisation_id, partner_id))
            if (x.video_desk && !x.archived_at) out.push_back(x);
    });
    return out;
}

PartnerBookResult PartnerBookings::book(const OrgData& org, const PartnerHelper& helper,
                                        const PartnerBookRequest& req) {
    PartnerBookResult r;
    auto open = motifs(org);
    const store::Motif* m = nullptr;
    for (auto* x : open)
        if (x->id == req.motif_id) m = x;
    if (!m) r.errors["motif"] = "partner_booking.error_motif";
    std::optional<store::PartnerSite> desk;
    auto& p = req.place;
    if (p.code == "desk") {
        for (auto& x : desks(org.org.id, helper.partner_id))
            if (p.site && x.id == *p.site) desk = x;
        if (!desk) r.errors["place"] = "partner_booking.error_desk";
    } else if (p.code == "on_site") {
        auto site = p.site ? org.site(*p.site) : nullptr;
        if (!site || site->is_partner) r.errors["place"] = "partner_booking.error_place";
    } else if (p.code != "phone") {
        r.errors["place"] = "partner_booking.error_place";
    }
    if (m && r.errors.empty() && !(m->rules.channels & core::channel_bit(p.channel)))
        r.errors["place"] = "partner_booking.error_place";
    if (!r.errors.empty()) {
        r.outcome = Outcome::invalid;
        return r;
    }
    auto now = booking_.clock().now();
    if (!limiter_.allow("account:" + std::to_string(helper.account_id), now)) {
        r.outcome = Outcome::gone;
        r.limited = true;
        return r;
    }
    BookRequest br;
    br.motif_id = m->id;
    br.channel = p.channel;
    br.start = req.start;
    if (p.code == "on_site") br.site_id = p.site;
    br.citizen = req.citizen;
    br.accept_terms = req.accept_terms;
    br.terms_version = req.terms_version;
    br.idempotency_key = req.idempotency_key;
    br.actor = {"partner", std::nullopt, desk ? std::optional<Id>(desk->id) : std::nullopt};
    // At an agency or by phone the appointment still names a site of the partner (its first
    // one): the partner's bookings are those of its sites.
    if (!desk) {
        std::vector<store::PartnerSite> sites;
        booking_.store().read(
            [&](store::Session& s) { sites = s.partner_sites(org.org.id, helper.partner_id); });
        for (auto& x : sites)
            if (!x.archived_at) {
                br.actor.partner_site_id = x.id;
                break;
            }
        if (!br.actor.partner_site_id) {
            r.outcome = Outcome::invalid;
            r.errors["place"] = "partner_booking.error_no_site";
            return r;
        }
    }
    br.by = "account:" + std::to_string(helper.account_id);
    br.also = [&](store::Session& s, const store::Appointment& a) {
        s.set_booked_by_account(a.organisation_id, a.id, helper.account_id);
        if (helper.email.empty()) return;
        // The helper's copy: what, when, where, for whom; no management link (the partner
        // manages it from /partner/bookings).
        auto& lang = helper.language;
        auto site = org.site(a.site_id);
        auto zone = desk   ? core::zone_or_default(desk->timezone)
                    : site ? org.zone(*site)
                           : org.default_zone();
        std::string where =
            desk ? text::I18n::fill(i18n_.t(lang, "partner_booking.mail_at_desk"), "{desk}",
                                    desk->name)
                 : i18n_.t(lang, "channel." + std::string(core::to_string(a.channel))) +
                       (a.channel == core::Channel::on_site && site ? " – " + site->name : "");
        auto fill = [&](std::string t) {
            t = text::I18n::fill(t, "{citizen}", a.citizen.first_name + " " + a.citizen.last_name);
            t = text::I18n::fill(t, "{motif}", m->name.pick(lang));
            t = text::I18n::fill(t, "{when}", i18n_.format_datetime(lang, a.starts_at, zone));
            t = text::I18n::fill(t, "{where}", where);
            return text::I18n::fill(t, "{organisation}", org.org.name);
        };
        json payload = {{"appointment_id", a.id},
                        {"to", helper.email},
                        {"to_name", helper.name},
                        {"lang", lang},
                        {"subject", fill(i18n_.t(lang, "partner_booking.mail_subject"))},
                        {"intro", fill(i18n_.t(lang, "partner_booking.mail_intro"))},
                        {"after", i18n_.t(lang, "partner_booking.mail_after")},
                        {"link", link_base_ + "/partner/bookings"}};
        s.enqueue({a.organisation_id, a.id,
                   "partner_booking:" + std::to_string(a.id) +
                       ":account:" + std::to_string(helper.account_id),
                   "partner_booking", "email", payload.dump(), now});
    };
    auto b = booking_.book(org, br);
    r.outcome = b.outcome;
    r.errors = b.errors;
    r.alternatives = b.alternatives;
    r.appointment = b.appointment;
    return r;
}

std::vector<PartnerBooking> PartnerBookings::list(Id organisation_id, Id partner_id) {
    std::vector<PartnerBooking> out;
    auto now = booking_.clock().now();
    booking_.store().read([&](store::Session& s) {
        auto sites = s.partner_sites(organisation_id, partner_id);
        for (auto& a : s.partner_appointments(organisation_id, partner_id, now)) {
            PartnerBooking b{a, std::nullopt};
            for (auto& x : sites)
                if (a.booked_by.partner_site_id && x.id == *a.booked_by.partner_site_id &&
                    x.video_desk && a.channel == core::Channel::video)
                    b.desk = x;
            out.push_back(std::move(b));
        }
    });
    return out;
}

std::optional<PartnerBooking> PartnerBookings::find(Id organisation_id, Id partner_id,
                                                    Id appointment_id) {
    for (auto& b : list(organisation_id, partner_id))
        if (b.appointment.id == appointment_id) return b;
    return std::nullopt;
}

ChangeResult PartnerBookings::cancel(Id organisation_id, Id partner_id, Id appointment_id,
                                     const std::string& reason, const std::string& actor) {
    if (!find(organisation_id, partner_id, appointment_id)) return {Outcome::not_found, {}, {}, {}};
    return booking_.cancel_by_agency(organisation_id, appointment_id, reason, actor);
}

std::vector<PartnerBooking> PartnerBookings::today(Id organisation_id, Id partner_id) {
    auto now = booking_.clock().now();
    std::vector<PartnerBooking> out;
    for (auto& b : list(organisation_id, partner_id)) {
        auto& a = b.appointment;
        if (!b.desk || (a.status != store::AppointmentStatus::booked &&
                        a.status != store::AppointmentStatus::confirmed))
            continue;
        auto zone = core::zone_or_default(b.desk->timezone);
        if (core::local_day_of(a.starts_at, zone) == core::local_day_of(now, zone))
            out.push_back(std::move(b));
    }
    std::sort(out.begin(), out.end(),
              [](auto& x, auto& y) { return x.appointment.starts_at < y.appointment.starts_at; });
    return out;
}

std::optional<std::string> PartnerBookings::open_desk_room(Id organisation_id, Id partner_id,
                                                           Id appointment_id) {
    bool found = false;
    for (auto& b : today(organisation_id, partner_id))
        found = found || b.appointment.id == appointment_id;
    if (!found) return std::nullopt;
    auto token = new_token();
    booking_.store().write(
        [&](store::Session& s) { s.add_room_token_hash(appointment_id, hash_token(token)); });
    return token;
}

bool PartnerBookings::close_desk_room(Id organisation_id, Id partner_id, Id appointment_id,
                                      const std::string& room_token) {
    if (!looks_like_token(room_token) || !find(organisation_id, partner_id, appointment_id))
        return false;
    bool done = false;
    booking_.store().write([&](store::Session& s) {
        done = s.delete_room_token_hash(organisation_id, appointment_id, hash_token(room_token));
    });
    return done;
}

}  // namespace vg::app
