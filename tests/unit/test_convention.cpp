// The convention's dates (core/convention.hpp; seed 001 art. 11).
#include <gtest/gtest.h>

#include "core/convention.hpp"
#include "core/timefmt.hpp"

using namespace vg::core;

namespace {
LocalDay d(const char* s) {
    return *parse_ymd(s);
}
std::string f(LocalDay x) {
    return format_ymd(x);
}
}  // namespace

TEST(Convention, AddMonthsKeepsOrClampsTheDay) {
    EXPECT_EQ(f(add_months(d("2026-01-31"), 1)), "2026-02-28");
    EXPECT_EQ(f(add_months(d("2028-01-31"), 1)), "2028-02-29");
    EXPECT_EQ(f(add_months(d("2026-01-31"), 2)), "2026-03-31");
    EXPECT_EQ(f(add_months(d("2028-02-29"), 12)), "2029-02-28");
    EXPECT_EQ(f(add_months(d("2028-02-29"), 48)), "2032-02-29");
    EXPECT_EQ(f(add_months(d("2026-05-31"), -3)), "2026-02-28");
    EXPECT_EQ(f(add_months(d("2026-12-15"), 1)), "2027-01-15");
    EXPECT_EQ(f(add_months(d("2027-01-15"), -1)), "2026-12-15");
}

TEST(Convention, FirstTermAndTacitRenewal) {
    auto s = d("2026-03-15");
    auto t = current_term(s, 12, d("2026-11-30"));
    EXPECT_EQ(t.index, 0);
    EXPECT_EQ(f(t.start), "2026-03-15");
    EXPECT_EQ(f(t.last_day), "2027-03-14");
    EXPECT_EQ(f(t.renewal), "2027-03-15");
    EXPECT_EQ(f(t.notice_deadline), "2026-12-15");
    EXPECT_EQ(f(t.reminder_from), "2026-12-01");
    // The last day of a term and the first of the next.
    EXPECT_EQ(current_term(s, 12, d("2027-03-14")).index, 0);
    auto r = current_term(s, 12, d("2027-03-15"));
    EXPECT_EQ(r.index, 1);
    EXPECT_EQ(f(r.start), "2027-03-15");
    EXPECT_EQ(f(r.last_day), "2028-03-14");
    // Ten years on, still counted from the signature.
    EXPECT_EQ(f(current_term(s, 12, d("2036-06-01")).start), "2036-03-15");
    // Before the signature: the first term.
    EXPECT_EQ(current_term(s, 12, d("2025-01-01")).index, 0);
}

TEST(Convention, SignedOn29February) {
    auto s = d("2028-02-29");
    auto t = current_term(s, 12, d("2028-06-01"));
    EXPECT_EQ(f(t.last_day), "2029-02-27");
    EXPECT_EQ(f(t.renewal), "2029-02-28");
    EXPECT_EQ(f(t.notice_deadline), "2028-11-28");
    // The leap year comes back: the term again ends on 28 February and renews on the 29th.
    auto u = current_term(s, 12, d("2031-12-01"));
    EXPECT_EQ(f(u.start), "2031-02-28");
    EXPECT_EQ(f(u.renewal), "2032-02-29");
    EXPECT_EQ(f(u.notice_deadline), "2031-11-29");
}

TEST(Convention, MonthEndsStayMonthEnds) {
    // Signed on 31 May: notice three months before 31 May is 28 (or 29) February.
    auto s = d("2026-05-31");
    auto t = current_term(s, 12, d("2026-09-01"));
    EXPECT_EQ(f(t.renewal), "2027-05-31");
    EXPECT_EQ(f(t.notice_deadline), "2027-02-28");
    EXPECT_EQ(f(t.reminder_from), "2027-02-14");
    // A six-month term from 31 August: 28 February, then 31 August again.
    auto q = d("2026-08-31");
    EXPECT_EQ(f(convention_term(q, 6, 0).renewal), "2027-02-28");
    EXPECT_EQ(f(convention_term(q, 6, 1).renewal), "2027-08-31");
    EXPECT_EQ(f(convention_term(q, 6, 1).start), "2027-02-28");
}

TEST(Convention, NoticeWindow) {
    auto s = d("2026-03-15");
    EXPECT_FALSE(term_in_notice_window(s, 12, d("2026-11-30")));
    auto w = term_in_notice_window(s, 12, d("2026-12-01"));
    ASSERT_TRUE(w);
    EXPECT_EQ(f(w->renewal), "2027-03-15");
    EXPECT_TRUE(term_in_notice_window(s, 12, d("2026-12-15")));
    EXPECT_FALSE(term_in_notice_window(s, 12, d("2026-12-16")));
    // The renewed term has its own window a year later.
    auto n = term_in_notice_window(s, 12, d("2027-12-10"));
    ASSERT_TRUE(n);
    EXPECT_EQ(n->index, 1);
    EXPECT_EQ(f(n->renewal), "2028-03-15");
}

TEST(Convention, ShortTermsFindTheLaterTermsWindow) {
    // A one-month term: the window of a term lies in an earlier term.
    auto s = d("2026-01-10");
    auto w = term_in_notice_window(s, 1, d("2026-02-01"));
    ASSERT_TRUE(w);
    EXPECT_EQ(f(w->renewal), "2026-05-10");
    EXPECT_EQ(f(w->notice_deadline), "2026-02-10");
}

// partner-caf: notice ends the term whose deadline it meets (art. 11).
TEST(Convention, NoticeEndsTheTermWhoseDeadlineItMeets) {
    auto signed_on = d("2026-03-15");  // terms end on 14 March; deadline 15 December
    // Before or on the deadline: the current term is the last.
    EXPECT_EQ(f(term_ended_by_notice(signed_on, 12, d("2026-03-15")).last_day), "2027-03-14");
    EXPECT_EQ(f(term_ended_by_notice(signed_on, 12, d("2026-12-15")).last_day), "2027-03-14");
    // The day after the deadline: the next term runs in full.
    EXPECT_EQ(f(term_ended_by_notice(signed_on, 12, d("2026-12-16")).last_day), "2028-03-14");
    EXPECT_EQ(f(term_ended_by_notice(signed_on, 12, d("2027-03-14")).last_day), "2028-03-14");
    EXPECT_EQ(term_ended_by_notice(signed_on, 12, d("2027-03-14")).index, 1);
    // A later term: counted from the signature.
    EXPECT_EQ(f(term_ended_by_notice(signed_on, 12, d("2029-01-02")).last_day), "2030-03-14");
    // Month ends stay month ends (signed 31 May: terms end 30 May, deadline 28/29 February).
    EXPECT_EQ(f(term_ended_by_notice(d("2026-05-31"), 12, d("2027-02-28")).last_day), "2027-05-30");
    EXPECT_EQ(f(term_ended_by_notice(d("2026-05-31"), 12, d("2027-03-01")).last_day), "2028-05-30");
    // Terms shorter than the notice: the first term whose deadline is still ahead.
    auto t = term_ended_by_notice(d("2026-01-01"), 1, d("2026-01-10"));
    EXPECT_EQ(f(t.notice_deadline), "2026-02-01");
    EXPECT_EQ(f(t.last_day), "2026-04-30");
}
