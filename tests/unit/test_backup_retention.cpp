#include <gtest/gtest.h>

#include "core/backup_retention.hpp"
#include "core/timefmt.hpp"

using namespace vg::core;

namespace {

Instant at(const char* iso) {
    return *parse_iso8601(iso);
}

// The kept instants, as text, for a readable failure.
std::vector<std::string> kept(const std::vector<const char*>& isos, BackupRetention policy) {
    std::vector<Instant> taken;
    for (auto s : isos) taken.push_back(at(s));
    auto keep = backups_to_keep(taken, policy);
    std::vector<std::string> out;
    for (std::size_t i = 0; i < isos.size(); ++i)
        if (keep[i]) out.push_back(isos[i]);
    return out;
}

}  // namespace

TEST(BackupRetention, NewestOfEachOfTheLastDaysAndWeeks) {
    // Two a day from Wednesday 18 to Monday 30 November 2026 (Mondays: 16, 23, 30), given in
    // no particular order.
    std::vector<const char*> taken = {
        "2026-11-30T02:00:00Z", "2026-11-18T02:00:00Z", "2026-11-18T14:00:00Z",
        "2026-11-30T14:00:00Z", "2026-11-29T02:00:00Z", "2026-11-29T14:00:00Z",
        "2026-11-28T14:00:00Z", "2026-11-22T23:59:59Z", "2026-11-23T00:00:00Z",
        "2026-11-20T14:00:00Z", "2026-11-27T14:00:00Z",
    };
    EXPECT_EQ(kept(taken, {3, 0}),
              (std::vector<std::string>{"2026-11-30T14:00:00Z", "2026-11-29T14:00:00Z",
                                        "2026-11-28T14:00:00Z"}));
    // Weeks start on Monday: Sunday 22 at 23:59:59 is the week of the 16th, Monday 23 at
    // midnight the next one.
    EXPECT_EQ(kept(taken, {0, 3}),
              (std::vector<std::string>{"2026-11-30T14:00:00Z", "2026-11-29T14:00:00Z",
                                        "2026-11-22T23:59:59Z"}));
    EXPECT_EQ(kept(taken, {2, 2}),
              (std::vector<std::string>{"2026-11-30T14:00:00Z", "2026-11-29T14:00:00Z"}));
    // More periods asked than there are: every period's newest, nothing else.
    EXPECT_EQ(kept(taken, {0, 10}).size(), 3u);
    EXPECT_EQ(kept(taken, {10, 0}).size(), 8u);
}

TEST(BackupRetention, NoPolicyKeepsAllAndTheNewestIsAlwaysKept) {
    std::vector<const char*> taken = {"2026-01-01T00:00:00Z", "2026-06-01T00:00:00Z"};
    EXPECT_EQ(kept(taken, {0, 0}).size(), 2u);
    EXPECT_EQ(kept(taken, {1, 0}), std::vector<std::string>{"2026-06-01T00:00:00Z"});
    EXPECT_TRUE(backups_to_keep({}, {1, 1}).empty());
}

TEST(BackupRetention, FileNames) {
    EXPECT_EQ(backup_file_name(at("2026-11-30T01:45:02Z")), "visioguichet-20261130T014502Z.db.gz");
    EXPECT_EQ(parse_backup_file_name("visioguichet-20261130T014502Z.db.gz"),
              at("2026-11-30T01:45:02Z"));
    for (auto bad : {"visioguichet-20261130T014502Z.db", "visioguichet-20261130T014502.db.gz",
                     "visioguichet-20261131T014502Z.db.gz", "other-20261130T014502Z.db.gz",
                     "visioguichet-2026113XT014502Z.db.gz", "secret.key", ""})
        EXPECT_FALSE(parse_backup_file_name(bad)) << bad;
}
