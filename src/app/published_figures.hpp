// The public figures page (issue 14, seed 004's "chiffres du mois"; docs/STATISTICS.md):
// the administrators choose which figures of the last complete month are published at
// /{org}/chiffres and type the processing delays of each week; the page reads them here.
// The figures are those of src/stats (stats::compute) for the whole organisation, so that
// the public page, the console and the API agree.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "app/administration.hpp"
#include "stats/figures.hpp"
#include "store/public_figures_rows.hpp"

namespace vg::app {

// The limits the delays form announces.
inline constexpr int kMaxDelayLines = 10;
inline constexpr std::size_t kMaxDelayLabel = 120;  // characters, per language
// A date of a line may go back this many days before the week's Monday (a typo such as 2002
// for 2024 is refused) and never beyond the week's Sunday.
inline constexpr int kDelayLookBackDays = 366;

// The flags of the choice form (held, video_share, median_delay, satisfaction, delays: "1").
store::FigureChoice read_figure_choice(const Fields& f);

// The delays form, checked: week (YYYY-MM-DD of its Monday: this week or the next, in the
// organisation's zone, `today` being its current local day) and lines 1..kMaxDelayLines:
// label_<lang>_<n> (French required on a line that has anything), from_<n>, to_<n>
// (YYYY-MM-DD, from <= to, neither after the week's Sunday nor more than kDelayLookBackDays
// before its Monday). A line left wholly empty is skipped; at least one line. Errors by
// field name, message keys of locales/*/public_figures.json and admin.json.
struct DelayForm {
    core::LocalDay week = 0;
    std::vector<store::DelayLine> lines;
    core::FieldErrors errors;
};
DelayForm read_delays(const Fields& f, core::LocalDay today);

// The month before the one of `today` (local days, first and last).
stats::Period last_complete_month(core::LocalDay today);

// The public page's figures of one period, for the whole organisation (docs/STATISTICS.md):
// appointments held (stats `held`), the share of them held by video (`held` with the channel
// filter video / `held`), the median booking delay, and satisfaction (answers, average, CSAT
// share).
struct MonthFigures {
    stats::Period period;
    int held = 0;
    int held_by_video = 0;
    std::optional<double> video_share;  // nullopt when nothing was held
    int bookings = 0;                   // booked in the period: the median's population
    std::optional<double> median_delay_days;
    int answers = 0;
    std::optional<double> average_rating;
    std::optional<double> csat_share;
};
MonthFigures month_figures(const std::vector<store::StatsAppointment>& rows, const stats::Period& p,
                           const stats::Zones& zones);

class PublishedFigures {
  public:
    // How long the figures of a closed month are kept before they are computed again (a
    // survey answered after the month's end still counts, an hour later at most).
    static constexpr Instant kCacheSeconds = 3600;

    explicit PublishedFigures(BookingService& booking) : booking_(booking) {}

    store::FigureChoice choice(Id org);
    // Each write checks the whole form first (nothing written when refused), then runs in
    // one transaction with its change-journal entry (published_figures / processing_delays).
    AdminResult save_choice(Id org, const Fields& f, const std::string& actor);
    AdminResult save_delays(Id org, const Fields& f, const std::string& actor);
    // The weeks typed so far, newest first (past weeks stay visible to administrators).
    std::vector<store::DelayWeek> history(Id org, int weeks = 104);

    // What /{org}/chiffres shows: the choice, the last complete month's figures when a
    // figure is chosen, the latest week of delays that has begun when delays are chosen.
    struct View {
        store::FigureChoice choice;
        std::optional<MonthFigures> month;
        std::optional<store::DelayWeek> delays;
        bool published() const { return month || delays; }
    };
    View view(const OrgData& org);

  private:
    struct Cached {
        core::LocalDay month_first = 0;
        Instant computed_at = 0;
        MonthFigures figures;
    };
    MonthFigures figures_of(const OrgData& org, const stats::Period& month);

    BookingService& booking_;
    std::mutex mutex_;
    std::map<Id, Cached> cache_;  // by organisation: its last complete month
};

}  // namespace vg::app
