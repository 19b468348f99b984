// The organisation's view of all its partners (issue 15, docs/PARTNERS.md "The CAF's
// overview"): per partner the label, the convention's term end, the opening-hours
// compliance, the reports (last one, overdue ones, each period over time), the visits per
// month of the last 12 months, the share of visits whose request was resolved and the
// bookings made on behalf of citizens. Read only; the pages and the CSV/XLSX exports read
// the same figures.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/administration.hpp"
#include "app/partner_hours.hpp"
#include "app/partner_screens.hpp"

namespace vg::app {

// How many months the overview counts visits over (the current month included).
inline constexpr int kOverviewMonths = 12;

// A period of the partner's reporting kind: its visits and its report.
struct ReportRow {
    core::ReportPeriod period;
    int visits = 0;
    int resolved = 0;  // visits whose request was resolved (answer "yes")
    std::optional<store::PartnerReport> report;
    bool overdue = false;  // not submitted, deadline passed
};

struct PartnerOverview {
    PartnerView view;
    int sites = 0;                         // not archived
    std::string hours = "no_site";         // no_site | met | not_met (every site meets the minimum)
    std::vector<ReportRow> reports;        // the periods due since the signature, oldest first
    std::optional<ReportRow> last_report;  // the newest submitted
    int overdue = 0;
    std::vector<int> visits_by_month;               // kOverviewMonths counts, oldest month first
    int visits = 0;                                 // over those months
    int resolved = 0;                               // over those months
    int bookings_on_behalf = 0;                     // every appointment booked from its sites
    std::vector<store::Account> needing_training;   // staff without a training in 12 months
    std::optional<core::LocalDay> last_update_day;  // the newest yearly update day
};

// Resolved share in whole percent (rounded), nullopt without visits.
std::optional<int> resolved_percent(int resolved, int visits);

class PartnerCaf {
  public:
    PartnerCaf(BookingService& booking, const text::I18n& i18n, std::string link_base)
        : booking_(booking), screens_(booking), hours_(booking, i18n, std::move(link_base)) {}

    // The months counted, oldest first ("2026-11"), ending with the organisation's current one.
    std::vector<core::ReportPeriod> months(Id org);
    // Every partner of the organisation (archived ones too), by name.
    std::vector<PartnerOverview> overview(Id org);
    // One partner (nullopt: another organisation's or missing).
    std::optional<PartnerOverview> partner(Id org, Id id);

    // --- the end of a partnership (administrators; AdminResult as PartnerAdmin's) --------
    // The live convention's notice (art. 11), once: by (caf | partner, required), given_on
    // (YYYY-MM-DD, today when empty; not in the future nor before the signature). The
    // convention ends on the last day of the term whose notice deadline the notice met
    // (core::term_ended_by_notice). Errors: convention (none live: partner_caf.error_no_
    // convention), notice (already given: partner_caf.error_notice_given).
    AdminResult give_notice(Id org, Id partner, const Fields& f, const std::string& actor);
    std::optional<store::ConventionNotice> notice(Id org, Id partner);
    // Ends every convention whose notice's last day has passed (in its organisation's zone):
    // ended_on is that last day, end_reason 'notice', journalled. Returns how many; the
    // server runs it at start and daily.
    int end_noticed();
    // Takes the partner role from one of the partner's staff; their sessions end.
    AdminResult remove_staff(Id org, Id partner, Id account, const std::string& actor);
    // Archives a site (no longer listed publicly nor offered; its visits and hours stay).
    AdminResult archive_site(Id org, Id partner, Id site, const std::string& actor);
    // Archives the partner and its sites; refused while its convention holds (error
    // "partner": partner_caf.error_still_live): notice or withdrawal first.
    AdminResult archive_partner(Id org, Id partner, const std::string& actor);

    // --- trainings (art. 3 and 4) --------------------------------------------------------
    // A training attended by one of the partner's staff (kind training: account, one of the
    // partner's staff, required) or the partner's yearly update day (kind update: no
    // person); title (required, 200), attended_on (YYYY-MM-DD, required, not in the future).
    AdminResult add_training(Id org, Id partner, const Fields& f, const std::string& actor);
    std::vector<store::PartnerTraining> trainings(Id org, Id partner);
    // The partner's staff (enabled accounts) without a training in the 12 months up to today.
    std::vector<store::Account> needing_training(Id org, Id partner);

  private:
    PartnerOverview build(Id org, const PartnerView& v, const std::vector<core::ReportPeriod>& m);

    BookingService& booking_;
    PartnerScreens screens_;
    PartnerHours hours_;
};

}  // namespace vg::app
