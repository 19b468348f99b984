// The appointment page of the console (issue 12): what an appointment's page shows (history,
// private notes, outcome) and the organisation's outcome qualification. The actions that
// change the appointment itself are BookingService operations (console_actions.cpp).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/booking_service.hpp"

namespace vg::app {

// The seed 001 (Annexe 2) qualification: request types in three categories, themes,
// digital autonomy; labels in fr, en, nl, de.
std::vector<store::OutcomeItem> default_outcome_items(Id organisation_id);
// The organisation's items (retired ones too). An organisation that has none gets the
// defaults: written when `write` (a write session), else returned unwritten.
std::vector<store::OutcomeItem> outcome_items_in(store::Session& s, Id organisation_id, bool write);
// The outcome form against the items: resolved yes|no|partially (required); request_type,
// theme, autonomy optional, each an active item of its group. Errors keyed by field.
core::FieldErrors check_outcome(const store::AppointmentOutcome& o,
                                const std::vector<store::OutcomeItem>& items);

struct AppointmentFile {
    AppointmentView view;
    std::vector<store::AppointmentEvent> events;
    std::vector<store::AppointmentNote> notes;
    std::optional<store::AppointmentOutcome> outcome;
    std::vector<store::OutcomeItem> items;
    std::optional<store::Agent> agent;
    bool arrived = false;
    // "account:12" of the history -> the person's name.
    std::map<std::string, std::string> actor_names;
};

struct ItemResult {
    Outcome outcome = Outcome::ok;
    core::FieldErrors errors;
};

class ConsoleAppointments {
  public:
    explicit ConsoleAppointments(BookingService& booking) : booking_(booking) {}

    // Everything the page shows, scoped by organisation (nullopt: not of this organisation).
    std::optional<AppointmentFile> file(Id organisation_id, Id appointment_id);
    std::vector<store::OutcomeItem> outcome_items(Id organisation_id);
    // A private note (1..2000 characters): staff only, never in messages, API or citizen pages.
    ChangeResult add_note(Id organisation_id, Id appointment_id, const std::string& body,
                          const std::string& actor, const std::string& author_name);

    // The administration of the qualification (admin role); each change goes to the change
    // journal. Codes are made from the group and never reused; items are retired, not deleted.
    ItemResult add_item(Id organisation_id, const std::string& group, const std::string& category,
                        const store::LocalText& label, const std::string& actor);
    ItemResult rename_item(Id organisation_id, Id item_id, const store::LocalText& label,
                           const std::string& actor);
    ItemResult retire_item(Id organisation_id, Id item_id, const std::string& actor);

  private:
    BookingService& booking_;
};

}  // namespace vg::app
