// The SQLite store's group commit: writers of one process share a transaction and its fsync,
// but each unit of work still lands or fails alone, in order, and only once durable.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "core/clock.hpp"
#include "store/sqlite.hpp"
#include "store/store.hpp"

using namespace vg;
namespace fs = std::filesystem;

namespace {

class StoreTest : public ::testing::Test {
  protected:
    void SetUp() override {
        path = fs::temp_directory_path() /
               ("vg-store-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
        remove_files();
        db = store::open_sqlite_store({path.string(), true, 10000});
        db->migrate();
    }
    void TearDown() override {
        db.reset();
        remove_files();
    }
    void remove_files() {
        for (auto ext : {"", "-wal", "-shm"}) fs::remove(path.string() + ext);
    }
    // Counted through a connection of its own: what another process would see.
    int audit_rows(const std::string& action) {
        store::sqlite::Connection c(path.string(), 1000);
        auto s = c.prepare("SELECT COUNT(*) FROM audit_log WHERE action=?");
        s.bind(1, action);
        s.step();
        return s.i32(0);
    }
    static void audit(store::Session& s, const std::string& action, core::Id object) {
        s.add_audit({1, "system", action, "test", object, "{}"});
    }

    fs::path path;
    std::unique_ptr<store::Store> db;
};

}  // namespace

TEST_F(StoreTest, ConcurrentWritersAllLandOnceAndDurably) {
    constexpr int kThreads = 32, kEach = 40;
    std::vector<std::thread> threads;
    std::atomic<int> returned{0};
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < kEach; ++i) {
                db->write([&](store::Session& s) { audit(s, "many", t * 1000 + i); });
                ++returned;
            }
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(returned.load(), kThreads * kEach);
    EXPECT_EQ(audit_rows("many"), kThreads * kEach);
}

TEST_F(StoreTest, AFailingUnitRollsBackAloneInsideASharedBatch) {
    // The first writer holds the batch open until the others are on their way into write(),
    // so the next batch holds them (the failing one in the middle). Whether they share one
    // batch or not, the assertions below hold: nothing here waits for a fixed time.
    std::mutex m;
    std::condition_variable cv;
    bool leading = false, release = false;
    int calling = 0;
    std::thread first([&] {
        db->write([&](store::Session& s) {
            audit(s, "first", 0);
            std::unique_lock lock(m);
            leading = true;
            cv.notify_all();
            cv.wait(lock, [&] { return release; });
        });
    });
    {
        std::unique_lock lock(m);
        cv.wait(lock, [&] { return leading; });  // the writer thread is inside the first unit
    }
    constexpr int kOthers = 9;
    std::atomic<int> failures{0}, successes{0};
    std::vector<std::thread> others;
    for (int i = 0; i < kOthers; ++i)
        others.emplace_back([&, i] {
            {
                std::lock_guard lock(m);
                ++calling;
                cv.notify_all();
            }
            try {
                db->write([&](store::Session& s) {
                    audit(s, i == 4 ? "failed" : "ok", i);
                    if (i == 4) throw std::runtime_error("unit 4 refuses");
                });
                ++successes;
            } catch (const std::runtime_error& e) {
                EXPECT_STREQ(e.what(), "unit 4 refuses");
                ++failures;
            }
        });
    {
        std::unique_lock lock(m);
        cv.wait(lock, [&] { return calling == kOthers; });
        release = true;
    }
    cv.notify_all();
    first.join();
    for (auto& t : others) t.join();
    EXPECT_EQ(failures.load(), 1);
    EXPECT_EQ(successes.load(), kOthers - 1);
    EXPECT_EQ(audit_rows("first"), 1);
    EXPECT_EQ(audit_rows("ok"), kOthers - 1);
    EXPECT_EQ(audit_rows("failed"), 0);
}

TEST_F(StoreTest, LaterUnitsOfABatchSeeEarlierOnes) {
    // Check-then-insert stays race-free inside a batch: the second unit finds the first's
    // message and its own insert does nothing (idempotency key).
    std::atomic<int> landed{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 16; ++i)
        threads.emplace_back([&] {
            db->write([&](store::Session& s) {
                auto before = s.outbox(1, "pending", 100).size();
                s.enqueue({1, std::nullopt, "same-key", "confirmation", "email", "{}", 0});
                if (s.outbox(1, "pending", 100).size() > before) ++landed;
            });
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(landed.load(), 1);
}

TEST_F(StoreTest, WritesSurviveReopeningAfterManyCheckpoints) {
    // More than the checkpoint threshold (1000 WAL frames) so checkpoints run beside writers.
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 300; ++i)
                db->write([&](store::Session& s) {
                    for (int k = 0; k < 5; ++k) audit(s, "bulk", t * 10000 + i * 10 + k);
                });
        });
    for (auto& t : threads) t.join();
    db.reset();
    db = store::open_sqlite_store({path.string(), true, 10000});
    EXPECT_EQ(db->migrate(), db->schema_version());
    EXPECT_EQ(audit_rows("bulk"), 8 * 300 * 5);
}

TEST_F(StoreTest, MessagesDueLaterWaitOutsideTheQueueUntilPromoted) {
    // Pinned: Wednesday 25 November 2026, 08:00 UTC, for the store as for the messages.
    const core::Instant now = 1795593600;
    core::ManualClock clock(now);
    db.reset();
    db = store::open_sqlite_store({path.string(), true, 10000, &clock});
    db->write([&](store::Session& s) {
        s.enqueue({1, std::nullopt, "soon", "confirmation", "email", "{}", now});
        s.enqueue({1, std::nullopt, "later", "reminder", "email", "{}", now + 3 * 86400});
    });
    auto claim = [&](core::Instant at) {
        std::vector<std::string> keys;
        db->write([&](store::Session& s) {
            for (auto& row : s.claim_due(at, at + 60, 10)) keys.push_back(row.idempotency_key);
        });
        return keys;
    };
    // Not in the queue yet, even once due: only promotion brings it in.
    EXPECT_EQ(claim(now + 4 * 86400), std::vector<std::string>{"soon"});
    int promoted = 0;
    db->write([&](store::Session& s) { promoted = s.promote_deferred(now + 86400); });
    EXPECT_EQ(promoted, 0);  // not due by then
    db->write([&](store::Session& s) { promoted = s.promote_deferred(now + 3 * 86400); });
    EXPECT_EQ(promoted, 1);
    EXPECT_EQ(claim(now + 3 * 86400), std::vector<std::string>{"later"});
}

TEST_F(StoreTest, SqliteOwnFlushLandsEveryWriteToo) {
    // Flush::sqlite (bench_commit's alternative): no flush thread, synchronous=FULL in COMMIT.
    db.reset();
    db = store::open_sqlite_store({path.string(), true, 10000, nullptr, store::Flush::sqlite});
    constexpr int kThreads = 16, kEach = 20;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < kEach; ++i)
                db->write([&](store::Session& s) { audit(s, "sqlite-flush", t * 1000 + i); });
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(audit_rows("sqlite-flush"), kThreads * kEach);
}

// The change journal keeps who, when, before and after, per organisation, newest first, and
// filters by object type, actor and period.
TEST_F(StoreTest, TheChangeJournalFiltersByTypeActorAndPeriod) {
    db.reset();
    core::ManualClock clock(1'800'000'000);
    db = store::open_sqlite_store({path.string(), true, 10000, &clock});
    db->migrate();
    store::Id org_id = 0, other = 0;
    db->write([&](store::Session& s) {
        store::Organisation o;
        o.slug = "one";
        o.name = "One";
        org_id = s.insert_organisation(o);
        o.slug = "other";
        o.name = "Other";
        other = s.insert_organisation(o);
        s.add_change(
            {0, org_id, 0, "account:1", "site", 7, "update", R"({"name":"A"})", R"({"name":"B"})"});
        s.add_change({0, other, 0, "account:9", "site", 8, "create", "", R"({"name":"X"})"});
    });
    clock.advance(3600);
    db->write([&](store::Session& s) {
        s.add_change({0, org_id, 0, "account:2", "motif", 3, "delete", R"({"code":"M"})", ""});
    });
    db->read([&](store::Session& s) {
        auto all = s.changes(org_id, {});
        ASSERT_EQ(all.size(), 2u);
        EXPECT_EQ(all[0].object_type, "motif") << "newest first";
        EXPECT_EQ(all[0].after, "{}");
        EXPECT_EQ(all[1].before, R"({"name":"A"})");
        EXPECT_EQ(all[1].at, 1'800'000'000);
        store::ChangeFilter f;
        f.object_type = "site";
        EXPECT_EQ(s.changes(org_id, f).size(), 1u);
        f = {};
        f.actor = "account:2";
        EXPECT_EQ(s.changes(org_id, f).size(), 1u);
        f = {};
        f.from = 1'800'000'000 + 60;
        EXPECT_EQ(s.changes(org_id, f).size(), 1u);
        f.to = 1'800'000'000 + 120;
        EXPECT_EQ(s.changes(org_id, f).size(), 0u);
        EXPECT_EQ(s.changes(other, {}).size(), 1u) << "one organisation never sees another's";
    });
}
