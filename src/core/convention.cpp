#include "core/convention.hpp"

#include <date/date.h>

namespace vg::core {

LocalDay add_months(LocalDay day, int months) {
    using namespace date;
    year_month_day ymd{sys_days{days{day}}};
    auto ym = year_month{ymd.year(), ymd.month()} + date::months{months};
    auto last = year_month_day_last{ym.year(), month_day_last{ym.month()}}.day();
    auto d = ymd.day() > last ? last : ymd.day();
    return LocalDay(sys_days{ym.year() / ym.month() / d}.time_since_epoch().count());
}

ConventionTerm convention_term(LocalDay signed_on, int term_months, int index) {
    if (term_months < 1) term_months = 1;
    if (index < 0) index = 0;
    ConventionTerm t;
    t.index = index;
    t.start = add_months(signed_on, index * term_months);
    t.renewal = add_months(signed_on, (index + 1) * term_months);
    t.last_day = t.renewal - 1;
    t.notice_deadline = add_months(t.renewal, -kConventionNoticeMonths);
    t.reminder_from = t.notice_deadline - kNoticeReminderDays;
    return t;
}

ConventionTerm current_term(LocalDay signed_on, int term_months, LocalDay day) {
    if (term_months < 1) term_months = 1;
    if (day < signed_on) return convention_term(signed_on, term_months, 0);
    // An estimate from the days elapsed (a month is 28 to 31 days), then corrected.
    int index = int((day - signed_on) / 31) / term_months;
    while (index > 0 && convention_term(signed_on, term_months, index).start > day) --index;
    while (convention_term(signed_on, term_months, index).renewal <= day) ++index;
    return convention_term(signed_on, term_months, index);
}

std::optional<ConventionTerm> term_in_notice_window(LocalDay signed_on, int term_months,
                                                    LocalDay day) {
    auto t = current_term(signed_on, term_months, day);
    // A window lies at most notice + reminder (< 4 months) before its renewal, so only the
    // next few terms of a short convention can hold it.
    for (int i = t.index; i <= t.index + kConventionNoticeMonths + 1; ++i) {
        auto u = convention_term(signed_on, term_months, i);
        if (u.reminder_from > day) break;
        if (day <= u.notice_deadline) return u;
    }
    return std::nullopt;
}

ConventionTerm term_ended_by_notice(LocalDay signed_on, int term_months, LocalDay day) {
    auto t = current_term(signed_on, term_months, day);
    // A term is at least one month long, so the notice's three months reach at most a few
    // terms ahead.
    for (int i = t.index;; ++i) {
        auto u = convention_term(signed_on, term_months, i);
        if (u.notice_deadline >= day) return u;
    }
}

}  // namespace vg::core
