// A partner site's opening hours and exceptional closures (issue 15, seed 001, art. 4 and 7;
// docs/PARTNERS.md "Opening hours and closures"). One service for every screen that edits
// them: the organisation's administrators under /console/admin/partners/…/sites/…, and later
// the partner's own /partner/ screen (the same forms and the same alert).
//
// Every write checks the whole form first (nothing written when a line is refused) and runs
// in one transaction with its journal entry. The result of core's opening-hours rule is
// computed for the regular week and for the coming weeks with their closures; when a write
// makes the site fall below the convention's minimum (the regular week met it and no longer
// does, or a coming week newly falls short) while the partner's convention holds, ONE e-mail
// is queued in the same transaction to each administrator of the organisation (the CAF's
// partner managers, app::partner_managers), naming the partner, the site and the shortfall.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/administration.hpp"
#include "core/opening_hours.hpp"

namespace vg::text {
class I18n;
}

namespace vg::app {

// How many weeks ahead the compliance looks (the current ISO week included).
inline constexpr int kHoursWeeksAhead = 8;

// The opening-hours rule's result for a site.
struct HoursCompliance {
    core::HoursCheck regular;                      // the regular week, no closure
    std::vector<core::WeekShortfall> short_weeks;  // weeks touching [from, to] below the minimum
    core::LocalDay from = 0;                       // today at the site
    core::LocalDay to = 0;                         // the last day looked at
    bool meets() const { return regular.meets_minimum() && short_weeks.empty(); }
};
HoursCompliance hours_compliance(const std::vector<core::OpeningSpan>& spans,
                                 const std::vector<core::ClosureRange>& closures,
                                 core::LocalDay today);
// True when `after` is worse than `before`: the regular week stopped meeting the minimum,
// or a week falls short that did not.
bool hours_got_worse(const HoursCompliance& before, const HoursCompliance& after);

// A site with its hours, its closures not yet over and the rule's result.
struct SiteHours {
    store::PartnerSite site;
    store::Partner partner;
    bool convention_live = false;  // the minimum is the live convention's
    std::vector<core::OpeningSpan> spans;
    std::vector<store::PartnerClosure> closures;  // ending today or later, by first day
    HoursCompliance compliance;
};

// The weekly-hours form: fields h<weekday>_<n>_opens and h<weekday>_<n>_closes (weekday 0 =
// Monday .. 6, n = 0 or 1: up to two intervals a day), "HH:MM" (24:00 allowed as a closing
// time). A line (h<weekday>_<n>) with both times empty is no interval.
inline constexpr int kSpansPerDay = 2;
std::string hours_line(int weekday, int n);  // "h<weekday>_<n>"
std::string format_hhmm(int minutes);        // "09:05", "24:00"
std::optional<int> parse_hhmm(const std::string& s);
// The form's values for stored spans (the page's initial values).
Fields hours_fields(const std::vector<core::OpeningSpan>& spans);
// The spans of a form, by weekday and time; refusals keyed by line: partner_hours.error_time
// (not HH:MM), partner_hours.error_incomplete (one time of two), partner_hours.error_too_many
// (a day's third interval, never sent by the page: refused rather than dropped), and
// hours_rule.error.<code> from core::validate_hours.
std::vector<core::OpeningSpan> parse_hours_form(const Fields& f, core::FieldErrors& errors);

// "12 h", "11 h 56" in `lang` (partner_hours.duration_h / duration_hm).
std::string format_duration(const text::I18n& i18n, const std::string& lang, int minutes);
// The regular week's shortfall as sentences (hours_rule.short_hours, short_half_days), or,
// when the regular week meets the minimum, each short week's (hours_rule.week_short).
std::vector<std::string> shortfall_lines(const text::I18n& i18n, const std::string& lang,
                                         const HoursCompliance& c);

// Bumped by every write of hours or closures in this process: the public list's cache
// (web/partner_public.cpp) computes again at once after one.
std::uint64_t hours_generation();
// Bumps it: partner-caf's archiving of a site or a partner shows on the public list at once.
void bump_hours_generation();

class PartnerHours {
  public:
    // `link_base`: the absolute base of the link in the alert (Settings::link_base).
    PartnerHours(BookingService& booking, const text::I18n& i18n, std::string link_base)
        : booking_(booking), i18n_(i18n), link_base_(std::move(link_base)) {}

    // The site of the partner in the organisation (nullopt: another organisation's, another
    // partner's or missing).
    std::optional<SiteHours> site_hours(Id org, Id partner, Id site);
    // Every site of the organisation's partners, by partner then site (the public list).
    std::vector<SiteHours> organisation_sites(Id org);

    // Replaces the site's weekly hours from the form (parse_hours_form).
    AdminResult save_hours(Id org, Id partner, Id site, const Fields& f, const std::string& actor);
    // An exceptional closure: from (YYYY-MM-DD, required), to (YYYY-MM-DD, the same day when
    // empty; not before from: hours_rule.error.closure_reversed), reason (optional).
    AdminResult add_closure(Id org, Id partner, Id site, const Fields& f, const std::string& actor);
    AdminResult delete_closure(Id org, Id partner, Id site, Id closure, const std::string& actor);

    // How many alerts were queued by this object (tests).
    int alerts_queued() const { return alerts_; }

  private:
    core::LocalDay today_at(const store::PartnerSite& site) const;
    SiteHours load(store::Session& s, const store::Partner& p, const store::PartnerSite& x);
    // Queues the alert in `s` when `after` is worse than `before` and the convention holds.
    bool alert_if_worse(store::Session& s, const SiteHours& before, const SiteHours& after,
                        const std::string& actor);

    BookingService& booking_;
    const text::I18n& i18n_;
    std::string link_base_;
    int alerts_ = 0;
};

}  // namespace vg::app
