#include <gtest/gtest.h>
#include <sodium.h>

#include <filesystem>

#include "app/booking_service.hpp"
#include "app/demo.hpp"
#include "app/secrets.hpp"
#include "app/tokens.hpp"
#include "core/clock.hpp"
#include "core/timefmt.hpp"
#include "notify/composer.hpp"
#include "notify/mime.hpp"
#include "notify/outbox_worker.hpp"
#include "store/sqlite.hpp"
#include "web/i18n.hpp"
#include "web/templates.hpp"

using namespace vg;
namespace fs = std::filesystem;

namespace {
std::vector<std::string> header_lines(const std::string& message) {
    std::vector<std::string> out;
    auto end = message.find("\r\n\r\n");
    std::size_t pos = 0;
    while (pos < end) {
        auto nl = message.find("\r\n", pos);
        out.push_back(message.substr(pos, nl - pos));
        pos = nl + 2;
    }
    return out;
}
}  // namespace

TEST(Mime, HeaderInjectionIsNeutralised) {
    app::init_crypto();
    notify::Mail m;
    m.from_name = "Caf";
    m.from_address = "rdv@caf.test";
    m.to_name = "Zoé\r\nBcc: victim@evil.test";
    m.to_address = "zoe@example.fr";
    m.subject = "Rendez-vous\nBcc: other@evil.test";
    m.text = "Bonjour";
    m.message_id = "abc@visioguichet";
    auto msg = notify::build_message(m);
    // The text stays inside its header's value: no line of the header block starts a Bcc.
    int to_headers = 0;
    for (auto& line : header_lines(msg)) {
        EXPECT_NE(line.rfind("Bcc:", 0), 0u) << line;
        to_headers += line.rfind("To:", 0) == 0;
    }
    EXPECT_EQ(to_headers, 1);
    EXPECT_EQ(notify::format_address("x", "a@b.fr>\r\nBcc: c@d.fr"), "");
    EXPECT_FALSE(notify::is_safe_address("a@b.fr, c@d.fr"));
    EXPECT_EQ(notify::clean_header_value(" a\r\nb\t"), "a  b");
}

TEST(Mime, EncodesAccentsAsEncodedWords) {
    auto h = notify::encode_header_text("Zoé Ménard");
    EXPECT_EQ(h.rfind("=?UTF-8?B?", 0), 0u);
    EXPECT_EQ(notify::encode_header_text("Plain ASCII"), "Plain ASCII");
    auto addr = notify::format_address("Caf \"Essonne\"", "rdv@caf.test");
    EXPECT_EQ(addr, "\"Caf \\\"Essonne\\\"\" <rdv@caf.test>");
    // Long subjects are folded into several encoded words, never cut inside a character.
    std::string longtext;
    for (int i = 0; i < 40; ++i) longtext += "é";
    auto folded = notify::encode_header_text(longtext);
    EXPECT_NE(folded.find("\r\n "), std::string::npos);
}

TEST(Secrets, SealOpenAndTamper) {
    app::init_crypto();
    std::string key(32, '\0');
    randombytes_buf(key.data(), key.size());
    app::Sealer s(key);
    auto sealed = s.seal("token-123");
    EXPECT_EQ(s.open(sealed), "token-123");
    auto bad = sealed;
    bad[bad.size() / 2] = bad[bad.size() / 2] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(s.open(bad));
    EXPECT_FALSE(s.open("garbage"));
    std::string other(32, 'x');
    EXPECT_FALSE(app::Sealer(other).open(sealed));
}

class WorkerTest : public ::testing::Test {
  protected:
    void SetUp() override {
        app::init_crypto();
        dir = fs::temp_directory_path() / ("vg-worker-" + std::to_string(::getpid()));
        fs::remove_all(dir);
        fs::create_directories(dir);
        db = store::open_sqlite_store({(dir / "t.db").string(), false, 1000});
        db->migrate();
        now = std::chrono::duration_cast<std::chrono::seconds>(
                  std::chrono::system_clock::now().time_since_epoch())
                  .count();
        app::load_demo(*db, now);
        sealer = std::make_unique<app::Sealer>(app::Sealer::from_file((dir / "k").string()));
        i18n.load(std::string(VG_SOURCE_DIR) + "/locales");
        templates.load(std::string(VG_SOURCE_DIR) + "/templates");
    }
    void TearDown() override {
        db.reset();
        fs::remove_all(dir);
    }
    std::string book() {
        core::ManualClock clock(now);
        app::BookingService service(*db, {}, sealer.get(), clock);
        auto org = *service.organisation("demo");
        auto today = core::local_day_of(now, org.default_zone());
        auto slots = service.slots(org, {1, core::Channel::video, std::nullopt, today, today + 14});
        app::BookRequest r;
        r.motif_id = 1;
        r.start = slots.at(5).start;
        r.citizen = {"Zoé", "Ménard", "zoe@example.fr", "", "fr", "", ""};
        r.accept_terms = true;
        r.terms_version = org.terms->version;
        auto res = service.book(org, r);
        EXPECT_EQ(res.outcome, app::Outcome::ok);
        return res.token;
    }
    std::map<std::string, int> statuses() {
        store::sqlite::Connection c((dir / "t.db").string(), 1000);
        auto s = c.prepare(
            "SELECT status, COUNT(*) FROM outbox WHERE kind='confirmation' GROUP BY status");
        std::map<std::string, int> out;
        while (s.step()) out[s.text(0)] = s.i32(1);
        return out;
    }

    fs::path dir;
    std::unique_ptr<store::Store> db;
    std::unique_ptr<app::Sealer> sealer;
    web::I18n i18n;
    web::Templates templates;
    core::Instant now = 0;
};

TEST_F(WorkerTest, ComposesConfirmationWithIcsAndLink) {
    auto token = book();
    notify::Composer composer(i18n, templates, "https://rdv.example.org");
    store::OutboxRow row;
    std::optional<notify::MessageData> data;
    db->read([&](store::Session& s) {
        row = s.outbox(1, "pending", 100).back();  // the oldest: confirmation
        auto a = *s.appointment_by_id(1, *row.appointment_id);
        notify::MessageData d;
        d.org = *s.organisation_by_id(1);
        d.appointment = a;
        for (auto& m : s.motifs(1))
            if (m.id == a.motif_id) d.motif = m;
        for (auto& site : s.sites(1))
            if (site.id == a.site_id) d.site = site;
        d.token = token;
        data = d;
    });
    ASSERT_EQ(row.kind, "confirmation");
    auto mail = composer.citizen_email(row, *data);
    EXPECT_NE(mail.text.find("Bonjour Zoé Ménard"), std::string::npos);
    EXPECT_NE(mail.text.find("https://rdv.example.org/manage/" + token), std::string::npos);
    EXPECT_NE(mail.text.find("/device-test"), std::string::npos);
    EXPECT_NE(mail.html.find("Zoé"), std::string::npos);
    ASSERT_EQ(mail.attachments.size(), 1u);
    EXPECT_NE(mail.attachments[0].data.find("UID:appointment-"), std::string::npos);
    EXPECT_NE(mail.attachments[0].data.find("DTSTART;TZID=Europe/Paris:"), std::string::npos);
}

TEST_F(WorkerTest, MessagesWrittenDaysAheadAreTakenWhenDue) {
    book();
    struct Row {
        core::Id id;
        core::Instant due;
        int queued;
    };
    auto rows = [&] {
        store::sqlite::Connection c((dir / "t.db").string(), 1000);
        auto s = c.prepare(
            "SELECT id, due_at, queued, attempts FROM outbox WHERE kind IN "
            "('reminder','thank_you') ORDER BY due_at");
        std::vector<std::pair<Row, int>> out;
        while (s.step()) out.push_back({{s.i64(0), s.i64(1), s.i32(2)}, s.i32(3)});
        return out;
    };
    auto before = rows();
    ASSERT_FALSE(before.empty());
    for (auto& [row, attempts] : before) {
        EXPECT_EQ(row.queued, row.due > now + store::kDeferAfter ? 0 : 1);
        EXPECT_EQ(attempts, 0);
    }
    notify::Composer composer(i18n, templates, "http://localhost");
    notify::OutboxWorker worker(*db, composer, sealer.get(),
                                {"smtp://127.0.0.1:1", "off", 1, 2, true}, {});
    // The worker wakes at the last message's due time: everything is queued and tried once
    // (the mail server is down, so each is back to pending with one attempt).
    worker.process_due(before.back().first.due);
    for (auto& [row, attempts] : rows()) {
        EXPECT_EQ(row.queued, 1);
        EXPECT_EQ(attempts, 1) << "message " << row.id << " due " << row.due;
    }
}

TEST_F(WorkerTest, RetriesWhileTheMailServerIsDownThenGivesUp) {
    book();
    notify::Composer composer(i18n, templates, "http://localhost");
    notify::WorkerOptions opt;
    opt.first_retry = 10;
    notify::OutboxWorker worker(*db, composer, sealer.get(),
                                {"smtp://127.0.0.1:1", "off", 1, 2, true}, opt);
    worker.process_due(now);
    EXPECT_EQ(statuses()["pending"], 1);  // back to pending, later
    auto retried = worker.stats().retried.load();
    EXPECT_GE(retried, 1);        // confirmation (+ the agent notice when immediate)
    worker.process_due(now + 5);  // not due yet
    EXPECT_EQ(worker.stats().retried.load(), retried);
    worker.process_due(now + 2 * 86400);  // more than a day late: dead letter
    EXPECT_EQ(statuses()["dead"], 1);
    db->write([&](store::Session& s) {
        auto dead = s.outbox(1, "dead", 10);
        ASSERT_FALSE(dead.empty());
        EXPECT_TRUE(s.replay(1, dead.front().id, now));
        EXPECT_FALSE(s.replay(2, dead.front().id, now));  // another organisation's id
    });
}
