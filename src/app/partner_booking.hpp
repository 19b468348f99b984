// The partner books on a citizen's behalf (issue 15, "prescripteur"; docs/PARTNERS.md):
// the motifs the organisation opened to partners, the booking service's engine and rules,
// at the partner's video desk or at an agency. The appointment records booked_by 'partner',
// the partner's site and the helper's account; the citizen gets the usual confirmation (with
// the management link), the helper a copy without it (the partner manages its bookings from
// /partner/bookings). The partner lists and cancels the appointments it booked.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/booking_service.hpp"
#include "app/rate_limit.hpp"

namespace vg::text {
class I18n;
}

namespace vg::app {

// Where the citizen holds the appointment: "desk" (video at one of the partner's sites with
// a video desk: the agencies serve it like a video from home) or at an agency ("on_site" at
// `site`, or "phone").
struct PartnerPlace {
    std::string code;
    core::Channel channel = core::Channel::video;
    std::optional<Id> site;  // desk: the partner site; on_site: the agency
};

struct PartnerHelper {
    Id organisation_id = 0;
    Id partner_id = 0;
    Id account_id = 0;
    std::string email;
    std::string name;
    std::string language = "fr";
};

struct PartnerBookRequest {
    Id motif_id = 0;
    PartnerPlace place;
    Instant start = 0;
    core::CitizenInput citizen;
    bool accept_terms = false;
    int terms_version = 0;
    std::string idempotency_key;
};

struct PartnerBookResult {
    Outcome outcome = Outcome::ok;  // invalid (errors), conflict (alternatives), gone (limited)
    core::FieldErrors errors;
    std::vector<SlotView> alternatives;
    store::Appointment appointment;
    bool limited = false;  // over the rate limit: nothing done
};

// An appointment the partner booked, with the desk it is held at (if any).
struct PartnerBooking {
    store::Appointment appointment;
    std::optional<store::PartnerSite> desk;
};

class PartnerBookings {
  public:
    // At most `per_hour` bookings per helper account and hour (like the public pages' limit
    // per address).
    PartnerBookings(BookingService& booking, const text::I18n& i18n, std::string link_base,
                    int per_hour = 30);

    // The motifs partners may book: public and open to partners.
    static std::vector<const store::Motif*> motifs(const OrgData& org);
    // The partner's sites with a video desk (not archived).
    std::vector<store::PartnerSite> desks(Id organisation_id, Id partner_id);
    // Checks the motif (open to partners) and the place (a desk of this partner; an agency
    // channel the motif offers), then books with the booking service. Nothing is written
    // unless ok.
    PartnerBookResult book(const OrgData& org, const PartnerHelper& helper,
                           const PartnerBookRequest& req);
    // The partner's bookings, upcoming first.
    std::vector<PartnerBooking> list(Id organisation_id, Id partner_id);
    // One of the partner's bookings; nullopt when it is not this partner's (or organisation's).
    std::optional<PartnerBooking> find(Id organisation_id, Id partner_id, Id appointment_id);
    // Cancels one of the partner's live bookings: the citizen is told as when the agency
    // cancels. not_found: not this partner's.
    ChangeResult cancel(Id organisation_id, Id partner_id, Id appointment_id,
                        const std::string& reason, const std::string& actor);

    // --- Today at my site: the video appointments held at the partner's desks ---
    // The live video appointments of today (each desk's local day) booked at this partner's
    // desks, by start.
    std::vector<PartnerBooking> today(Id organisation_id, Id partner_id);
    // A new room link for the citizen of one of today's desk appointments (a fresh room
    // token; the citizen's own link keeps working); nullopt when it is not one of them.
    std::optional<std::string> open_desk_room(Id organisation_id, Id partner_id, Id appointment_id);
    // The call at the desk is over: that room link opens nothing any more. False when the
    // token is not one of this appointment's (or not this partner's).
    bool close_desk_room(Id organisation_id, Id partner_id, Id appointment_id,
                         const std::string& room_token);

  private:
    BookingService& booking_;
    const text::I18n& i18n_;
    std::string link_base_;
    RateLimiter limiter_;
};

}  // namespace vg::app
