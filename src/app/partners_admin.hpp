// The organisation's side of partners (issue 15, docs/PARTNERS.md): partner structures,
// their sites, their staff (partner-role accounts), the convention with its action plan, and
// the label (granted with a convention, withdrawn with a reason: art. 6, which ends the
// convention). Every write checks the whole form first (nothing written when a field is
// refused) and runs in one transaction with its entry in the change journal. The
// administration pages, the CLI and later the partner's own screens and the CAF's overview
// read through this.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/administration.hpp"
#include "core/convention.hpp"

namespace vg::app {

// A partner as the lists show it.
struct PartnerView {
    store::Partner partner;
    std::optional<store::Convention> convention;  // the newest (ended or not)
    std::string label = "none";                   // none | granted | withdrawn
    std::optional<store::LabelEvent> last_label;  // the newest label event
    std::optional<core::ConventionTerm> term;     // of the live convention, at `today`
    bool live() const { return convention && !convention->ended_on; }
};

// The label state from the partner's history (newest first) and newest convention: granted
// while the newest event is a grant of a convention still live.
std::string label_state(const std::vector<store::LabelEvent>& events,
                        const std::optional<store::Convention>& convention);

class PartnerAdmin {
  public:
    PartnerAdmin(BookingService& booking, AccountService* accounts)
        : booking_(booking), accounts_(accounts) {}

    // The organisation's local day now (its default zone).
    core::LocalDay today(Id org);

    // --- reads ---------------------------------------------------------------------------
    std::vector<PartnerView> partners(Id org);
    std::optional<PartnerView> partner(Id org, Id id);

    // --- writes (AdminResult: errors keyed by field, not_found for another organisation's
    // ids; actor goes to the journal) ------------------------------------------------------
    // name (required, unique in the organisation), town, responsible_name, responsible_email.
    AdminResult save_partner(Id org, std::optional<Id> id, const Fields& f,
                             const std::string& actor);
    // name (required), address, postcode, town, time_zone, accessibility, step_free,
    // equipment, video_desk; site nullopt: a new site of the partner.
    AdminResult save_site(Id org, Id partner, std::optional<Id> site, const Fields& f,
                          const std::string& actor);
    // email, name: the account (created when new) gets the partner role of this partner and,
    // when it has no password yet, the invitation link (as the console's members page does).
    AdminResult invite_staff(Id org, Id partner, const Fields& f, const std::string& actor,
                             const std::string& lang);
    // Grants the label with a new convention: signed_on (YYYY-MM-DD, required), term_months
    // (1..120, 12), reporting_period (month | quarter), option_video_desk, option_visio,
    // responsible_name, responsible_email, director_name, committee_on, visit_on,
    // visit_findings. Refused while a convention holds (error "grant").
    AdminResult grant_label(Id org, Id partner, const Fields& f, const std::string& actor);
    // The live convention's terms (the same fields but signed_on); none live: error "convention".
    AdminResult save_convention(Id org, Id partner, const Fields& f, const std::string& actor);
    // Withdraws the label (ground: commitment | indicators | dissatisfaction; reason
    // required): the convention ends today (end_reason 'withdrawn').
    AdminResult withdraw_label(Id org, Id partner, const Fields& f, const std::string& actor);
    // An item of the live convention's action plan: item (required), owner, due_on.
    AdminResult add_action(Id org, Id partner, const Fields& f, const std::string& actor);
    // Marks an item of the partner's convention done (or open again).
    AdminResult set_action_done(Id org, Id partner, Id action, bool done, const std::string& actor);

    // Withdrawal grounds (art. 6).
    static const std::vector<std::string>& grounds();

  private:
    BookingService& booking_;
    AccountService* accounts_;
};

}  // namespace vg::app
