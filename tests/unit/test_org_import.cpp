#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/booking_service.hpp"
#include "app/org_import.hpp"

using namespace vg;
namespace fs = std::filesystem;

namespace {
std::string example() {
    std::ifstream f(std::string(VG_SOURCE_DIR) + "/examples/organisation.json");
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}
struct TempDb {
    fs::path path = fs::temp_directory_path() / ("vg-import-" + std::to_string(::getpid()) + ".db");
    std::unique_ptr<store::Store> db;
    TempDb() {
        fs::remove(path);
        db = store::open_sqlite_store({path.string(), false, 1000});
        db->migrate();
    }
    ~TempDb() {
        db.reset();
        for (auto ext : {"", "-wal", "-shm"}) fs::remove(path.string() + ext);
    }
};
}  // namespace

TEST(OrgImport, ImportsTheExampleWithBelgianHolidays) {
    TempDb t;
    auto id = app::import_organisation(*t.db, example());
    EXPECT_GT(id, 0);
    app::BookingService service(*t.db);
    auto org = service.organisation("capac-liege");
    ASSERT_TRUE(org);
    EXPECT_EQ(org->sites.size(), 2u);
    EXPECT_EQ(org->motifs.size(), 2u);
    EXPECT_EQ(org->terms->version, 1);
    EXPECT_EQ(org->org.holiday_region, "be");
    EXPECT_THROW(app::import_organisation(*t.db, example()), app::ImportError);
    EXPECT_EQ(app::publish_terms(*t.db, "capac-liege", R"({"text": {"fr": "v2"}})"), 2);
    // A running server sees the new version within a minute; a fresh service at once.
    app::BookingService fresh(*t.db);
    EXPECT_EQ(fresh.organisation("capac-liege")->terms->version, 2);
}

TEST(OrgImport, ReportsEveryProblemAndWritesNothing) {
    TempDb t;
    try {
        app::import_organisation(*t.db, R"({"slug": "Bad Slug", "name": "", "terms": {},
            "sites": [{"key": "a", "name": "A", "time_zone": "Mars/Olympus"}],
            "motifs": [{"key": "m", "name": "M", "duration_minutes": 9999}],
            "agents": [{"name": "X", "plans": [{"site": "nope", "weekdays": ["mon"],
                        "from": "12:00", "to": "09:00", "valid_from": "2026-13-01"}]}]})");
        FAIL() << "expected ImportError";
    } catch (const app::ImportError& e) {
        EXPECT_GE(e.problems.size(), 7u);
    }
    t.db->read([](store::Session& s) { EXPECT_TRUE(s.organisations().empty()); });
    EXPECT_THROW(app::import_organisation(*t.db, "not json"), app::ImportError);
    EXPECT_THROW(app::import_organisation(*t.db, "[1,2]"), app::ImportError);
}

TEST(OrgImport, ReadsRemindersPerMotif) {
    // docs/MESSAGES.md: reminders per motif (reminder_minutes), default 2 days and 2 hours.
    auto with = [](const std::string& reminders) {
        return R"({"slug": "r", "name": "R", "terms": {"text": {"fr": "t"}},
            "sites": [{"key": "a", "name": "A"}],
            "motifs": [{"key": "m", "name": "M")" +
               (reminders.empty() ? "" : ", \"reminder_minutes\": " + reminders) + "}]}";
    };
    EXPECT_EQ(app::read_organisation(with("")).motifs.at(0).reminder_minutes,
              (std::vector<int>{2880, 120}));
    EXPECT_EQ(app::read_organisation(with("[60, 1440, 60]")).motifs.at(0).reminder_minutes,
              (std::vector<int>{1440, 60}));
    EXPECT_TRUE(app::read_organisation(with("[]")).motifs.at(0).reminder_minutes.empty());
    for (auto bad : {"[5]", "[60, 99999]", "\"60\"", "[1, 2, 3, 4, 5, 6]", "[60.5]"}) {
        try {
            app::read_organisation(with(bad));
            ADD_FAILURE() << bad << " accepted";
        } catch (const app::ImportError& e) {
            ASSERT_EQ(e.problems.size(), 1u) << bad;
            EXPECT_EQ(e.problems[0].rfind("$.motifs[0].reminder_minutes: ", 0), 0u)
                << e.problems[0];
        }
    }
}
