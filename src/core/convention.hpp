// The dates of a "Point numérique Caf" convention (seed 001, art. 11): it takes effect on
// the day of signature, runs for term_months (one year by default) and is renewed tacitly
// for the same term, unless one side gives notice three months before the current term's
// end. Pure calendar arithmetic on local days; docs/PARTNERS.md.
#pragma once

#include <optional>

#include "core/types.hpp"

namespace vg::core {

// The notice period before a term's end, in months (art. 11).
inline constexpr int kConventionNoticeMonths = 3;
// Both sides are reminded this many days before the notice deadline (so that a decision can
// still be taken): the reminder window is [deadline - kNoticeReminderDays, deadline].
inline constexpr int kNoticeReminderDays = 14;

// `day` moved by `months` calendar months; a day that the target month lacks becomes its
// last day (31 January + 1 month = 28 or 29 February; 29 February + 12 months = 28
// February).
LocalDay add_months(LocalDay day, int months);

struct ConventionTerm {
    int index = 0;          // 0: the first term (from the signature), 1: the first renewal...
    LocalDay start = 0;     // first day of the term
    LocalDay last_day = 0;  // last day of the term
    LocalDay renewal = 0;   // the day after: the next term starts (or the convention ends)
    // The last day on which notice can be given for this term: three months before renewal.
    LocalDay notice_deadline = 0;
    // First day of the reminder window (kNoticeReminderDays before the deadline).
    LocalDay reminder_from = 0;
};

// The term of the convention signed on `signed_on` (term_months >= 1) numbered `index`.
// Every term is counted from the signature (not chained), so that a convention signed on
// 31 January stays on month ends.
ConventionTerm convention_term(LocalDay signed_on, int term_months, int index);

// The term that contains `day` (the first term for a day before the signature).
ConventionTerm current_term(LocalDay signed_on, int term_months, LocalDay day);

// The term whose reminder window [reminder_from, notice_deadline] contains `day`, if any
// (for short terms it may be a later term than the current one).
std::optional<ConventionTerm> term_in_notice_window(LocalDay signed_on, int term_months,
                                                    LocalDay day);

// partner-caf: the term a notice given on `day` ends (art. 11): the first term from the
// current one whose notice deadline is `day` or later; the convention ends on its last_day.
// Notice given after the current term's deadline ends the next term (a notice on the
// deadline itself still ends the current one).
ConventionTerm term_ended_by_notice(LocalDay signed_on, int term_months, LocalDay day);

}  // namespace vg::core
