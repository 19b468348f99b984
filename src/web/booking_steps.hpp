// The steps of a booking on a citizen's behalf, one runner for the console's (/console/book)
// and the partner's (/partner/bookings/new, POST /partner/bookings): the choice (motif and
// where), then a week of free slots as links or, with ?slot=, the citizen's details; then the
// booking and its confirmation. No JavaScript; a refused form comes back with its values and
// the messages in the page's language, nothing written. What differs between the two (the
// gate, the choice, the first day shown, the booking call, the pages) is a BookingFlow.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/booking_service.hpp"
#include "http/message.hpp"
#include "web/page.hpp"
#include "web/staff_gate.hpp"

namespace vg::web {

// The first step's choice as the later steps need it.
struct BookingChoice {
    bool complete = false;  // motif and place chosen and valid: the fields below are set
    const store::Motif* motif = nullptr;
    app::SlotQuery query;                   // motif, channel, agency (site_id), lead time
    const date::time_zone* zone = nullptr;  // the days of the week shown
    std::string url;                        // the first step with this choice, ending in '&'
};

// What the booking call answered.
struct BookingAnswer {
    app::Outcome outcome = app::Outcome::ok;
    core::FieldErrors errors;
    store::Appointment appointment;
    bool limited = false;  // over a rate limit: nothing done
};

struct BookingFlow {
    using Run = std::function<http::Response(Staff&)>;
    // Who may book: the GET gate, and the POST one (CSRF check first).
    std::function<http::Response(const http::Request&, const Run&)> gate;
    std::function<http::Response(const http::Request&, const http::Params&, const Run&)> post_gate;
    // The query parameters that carry the choice on a GET.
    std::vector<std::string> choice_params;
    // Reads the choice (query or form) and fills the first step's fields of the page.
    std::function<BookingChoice(Page&, const app::OrgData&, const Staff&, const http::Params&)>
        choose;
    // POST: an incomplete choice is refused before booking (400) instead of being left to the
    // booking call (whose refusal then shows the first step again).
    bool refuse_incomplete = false;
    // The day of the first free slot, the week shown first.
    std::function<std::optional<core::LocalDay>(const app::OrgData&, const BookingChoice&)>
        first_day;
    // Books (nothing written unless ok).
    std::function<BookingAnswer(Page&, const app::OrgData&, const Staff&, const BookingChoice&,
                                const http::Params& form, core::Instant start,
                                const core::CitizenInput&)>
        book;
    // What the confirmation shows besides the summary and the citizen's name.
    std::function<void(Page&, const Staff&, const store::Appointment&)> booked_fields;
    // An outcome the flow does not expect (unknown motif or place...).
    std::function<http::Response(const http::Request&, Page&)> not_found;
    struct Templates {
        std::string choice;   // the first step and the week
        std::string details;  // the citizen's details
        std::string booked;   // the confirmation
    } templates;
    struct Titles {
        std::string steps;   // the text key of the steps' title
        std::string booked;  // and of the confirmation's
    } titles;
    std::string labels;       // the section whose "field.<name>" texts label the errors
    std::string limited_key;  // the refusal of a booking over the rate limit
};

class BookingSteps {
  public:
    BookingSteps(std::shared_ptr<StaffGate> gate, BookingFlow flow);

    // GET: the first step, then the week, or the details with ?slot=.
    http::Response form(const http::Request& req) const;
    // POST: the booking, its confirmation (201) or the step to correct (400, 409, 422, 429).
    http::Response book(const http::Request& req) const;

  private:
    http::Response week(Page& page, const app::OrgData& org, const BookingChoice& c,
                        const http::Request& req, int status) const;
    http::Response details(Page& page, const app::OrgData& org, const BookingChoice& c,
                           core::Instant start, const core::CitizenInput& citizen,
                           const core::FieldErrors& errors, int status) const;
    http::Response first_step(Page& page, int status) const;

    std::shared_ptr<StaffGate> gate_;
    app::Context& ctx_;
    BookingFlow flow_;
};

}  // namespace vg::web
