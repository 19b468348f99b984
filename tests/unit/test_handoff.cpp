// stats::Handoff: rows read on one thread, consumed on another, in reused batches. Also in
// concurrency_tests, run under ThreadSanitizer by scripts/test.
#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <vector>

#include "stats/handoff.hpp"

using vg::stats::Handoff;

TEST(Handoff, EveryRowInOrderAcrossBatches) {
    std::vector<std::string> got;
    {
        Handoff<std::string> h([&](const std::string& s) { got.push_back(s); }, 7, 3);
        for (int i = 0; i < 10000; ++i) h.push("row " + std::to_string(i));
        h.finish();
    }
    ASSERT_EQ(got.size(), 10000u);
    for (int i = 0; i < 10000; ++i) ASSERT_EQ(got[i], "row " + std::to_string(i));
}

TEST(Handoff, NoRowsAndFewerThanABatch) {
    int seen = 0;
    {
        Handoff<int> h([&](const int&) { ++seen; });
        h.finish();
    }
    EXPECT_EQ(seen, 0);
    {
        Handoff<int> h([&](const int& v) { seen += v; });
        h.push(1);
        h.push(2);
        h.finish();
    }
    EXPECT_EQ(seen, 3);
}

// finish() returns once the last row is consumed, never before: the figures are read
// right after it.
TEST(Handoff, FinishWaitsForTheLastRow) {
    for (int round = 0; round < 500; ++round) {
        int n = 1 + round % 40, seen = 0;  // read by this thread after finish() only
        Handoff<int> h([&](const int&) { ++seen; }, 4, 2);
        for (int i = 0; i < n; ++i) h.push(i);
        h.finish();
        ASSERT_EQ(seen, n) << "round " << round;
    }
}

TEST(Handoff, TheConsumersFailureReachesTheReader) {
    std::atomic<int> seen = 0;
    Handoff<int> h(
        [&](const int& v) {
            if (v == 100) throw std::runtime_error("row 100 refused");
            ++seen;
        },
        8, 2);
    try {
        for (int i = 0; i < 100000; ++i) h.push(i);
        h.finish();
        FAIL() << "no exception";
    } catch (const std::runtime_error& e) {
        EXPECT_STREQ(e.what(), "row 100 refused");
    }
    EXPECT_EQ(seen.load(), 100);
}

// The reader fails (its cursor threw): the handoff is destroyed unfinished, its thread stops
// without consuming the rest and without a hang.
TEST(Handoff, AnUnfinishedHandoffStops) {
    std::atomic<int> seen = 0;
    {
        Handoff<int> h([&](const int&) { ++seen; }, 4, 2);
        for (int i = 0; i < 1000; ++i) h.push(i);
    }
    EXPECT_LE(seen.load(), 1000);
    {
        Handoff<int> h([&](const int&) { ++seen; });
    }
}
