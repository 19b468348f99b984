#include <gtest/gtest.h>
#include <sodium.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "app/booking_service.hpp"
#include "app/demo.hpp"
#include "app/message_plan.hpp"
#include "app/tokens.hpp"
#include "core/clock.hpp"
#include "core/phone.hpp"
#include "core/timefmt.hpp"
#include "notify/composer.hpp"
#include "notify/mime.hpp"
#include "notify/outbox_worker.hpp"
#include "notify/sms.hpp"
#include "store/secrets.hpp"
#include "store/sqlite.hpp"
#include "test_gateway.hpp"
#include "text/i18n.hpp"
#include "text/templates.hpp"

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
    store::Sealer s(key);
    auto sealed = s.seal("token-123");
    EXPECT_EQ(s.open(sealed), "token-123");
    auto bad = sealed;
    bad[bad.size() / 2] = bad[bad.size() / 2] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(s.open(bad));
    EXPECT_FALSE(s.open("garbage"));
    std::string other(32, 'x');
    EXPECT_FALSE(store::Sealer(other).open(sealed));
}

// Point 5: the key file is created exclusively (never through a planted link or an existing
// file), mode 0600; its id names it without revealing it.
TEST(Secrets, KeyFileIsCreatedExclusivelyAndNamedByItsId) {
    app::init_crypto();
    auto dir = fs::temp_directory_path() / ("vg-key-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    auto key = (dir / "secret.key").string();
    auto a = store::Sealer::from_file(key);
    EXPECT_EQ(fs::status(key).permissions() & fs::perms::all,
              fs::perms::owner_read | fs::perms::owner_write);
    EXPECT_EQ(fs::file_size(key), 32u);
    EXPECT_EQ(store::Sealer::from_file(key).key_id(), a.key_id());  // read back, same key
    EXPECT_EQ(a.key_id().size(), 32u);
    EXPECT_EQ(a.key_id().find(std::string(32, '\0')), std::string::npos);
    EXPECT_NE(store::Sealer(std::string(32, 'x')).key_id(), a.key_id());
    // A link planted where the key will be created: refused, nothing written through it.
    auto planted = (dir / "planted.key").string();
    auto target = dir / "elsewhere";
    fs::create_symlink(target, planted);
    EXPECT_THROW(store::Sealer::from_file(planted), std::runtime_error);
    EXPECT_FALSE(fs::exists(target));
    fs::remove_all(dir);
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
        sealer = std::make_unique<store::Sealer>(store::Sealer::from_file((dir / "k").string()));
        i18n.load(std::string(VG_SOURCE_DIR) + "/locales");
        templates.load(std::string(VG_SOURCE_DIR) + "/templates");
    }
    void TearDown() override {
        db.reset();
        fs::remove_all(dir);
    }
    // A video booking of slot `index` (motif 1, from now) with this contact, by `with` or by
    // a service of its own.
    app::BookResult book_with(int index, const std::string& email, const std::string& phone,
                              app::BookingService* with = nullptr) {
        core::ManualClock local_clock(now);
        app::BookingService local(*db, {}, sealer.get(), local_clock);
        auto& service = with ? *with : local;
        auto org = *service.organisation("demo");
        auto today = core::local_day_of(now, org.default_zone());
        auto slots = service.slots(org, {1, core::Channel::video, std::nullopt, today, today + 14});
        app::BookRequest r;
        r.motif_id = 1;
        r.start = slots.at(std::size_t(index)).start;
        r.citizen = {"Zoé", "Ménard", email, phone, "fr", "", ""};
        r.accept_terms = true;
        r.terms_version = org.terms->version;
        auto res = service.book(org, r);
        EXPECT_EQ(res.outcome, app::Outcome::ok);
        return res;
    }
    // The management token of a booking.
    std::string book() { return book_with(5, "zoe@example.fr", "").token; }
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
    std::unique_ptr<store::Sealer> sealer;
    text::I18n i18n;
    text::Templates templates;
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

TEST_F(WorkerTest, ConfirmationOfAVideoAppointmentSaysTheCameraIsRequiredWhenItIs) {
    auto token = book();
    notify::Composer composer(i18n, templates, "https://rdv.example.org");
    store::OutboxRow row;
    notify::MessageData d;
    db->read([&](store::Session& s) {
        row = s.outbox(1, "pending", 100).back();
        d.org = *s.organisation_by_id(1);
        d.appointment = *s.appointment_by_id(1, *row.appointment_id);
        for (auto& m : s.motifs(1))
            if (m.id == d.appointment.motif_id) d.motif = m;
        for (auto& site : s.sites(1))
            if (site.id == d.appointment.site_id) d.site = site;
        d.token = token;
    });
    ASSERT_EQ(d.appointment.channel, core::Channel::video);
    const std::string said = "Votre caméra doit rester allumée pendant l'entretien";
    auto mail = composer.citizen_email(row, d);
    EXPECT_EQ(mail.text.find(said), std::string::npos);
    d.org.camera_required = true;  // seed 003
    mail = composer.citizen_email(row, d);
    EXPECT_NE(mail.text.find(said), std::string::npos);
    EXPECT_NE(mail.html.find("Votre caméra doit rester allumée"), std::string::npos);
}

TEST_F(WorkerTest, MessagesWrittenDaysAheadAreTakenWhenDue) {
    book();
    struct Row {
        core::Id id;
        core::Instant due;
        int queued;
        int attempts;
        std::string kind;
    };
    auto rows = [&] {
        store::sqlite::Connection c((dir / "t.db").string(), 1000);
        auto s = c.prepare(
            "SELECT id, due_at, queued, attempts, kind FROM outbox WHERE kind IN "
            "('reminder','thank_you') ORDER BY due_at");
        std::vector<Row> out;
        while (s.step()) out.push_back({s.i64(0), s.i64(1), s.i32(2), s.i32(3), s.text(4)});
        return out;
    };
    auto before = rows();
    ASSERT_FALSE(before.empty());
    for (auto& row : before) {
        EXPECT_EQ(row.queued, row.due > now + store::kDeferAfter ? 0 : 1);
        EXPECT_EQ(row.attempts, 0);
    }
    notify::Composer composer(i18n, templates, "http://localhost");
    notify::OutboxWorker worker(*db, composer, sealer.get(),
                                {"smtp://127.0.0.1:1", "off", 1, 2, true}, {});
    // The worker wakes at the last message's due time: everything is queued and tried once
    // (the mail server is down, so each is back to pending with one attempt) - except the
    // thank-you, which waits for the appointment's outcome.
    worker.process_due(before.back().due);
    for (auto& row : rows()) {
        EXPECT_EQ(row.queued, 1);
        EXPECT_EQ(row.attempts, row.kind == "thank_you" ? 0 : 1)
            << row.kind << " " << row.id << " due " << row.due;
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

// --- issue 11: messages are never lost, never silently dropped ---------------------------------

namespace {

// Counts the write transactions asked of the store it wraps (what an idle sender must avoid:
// each one takes the database's write lock and costs a flush).
class CountingStore final : public store::Store {
  public:
    explicit CountingStore(store::Store& inner) : inner_(inner) {}
    int migrate() override { return inner_.migrate(); }
    int schema_version() override { return inner_.schema_version(); }
    void read(const std::function<void(store::Session&)>& fn) override { inner_.read(fn); }
    void write(const std::function<void(store::Session&)>& fn) override {
        ++writes;
        inner_.write(fn);
    }
    bool ready() override { return inner_.ready(); }
    std::atomic<int> writes{0};

  private:
    store::Store& inner_;
};

struct OutboxState {
    std::string status;
    int attempts = 0;
    std::string last_error;
    core::Instant next_attempt_at = 0;
};

}  // namespace

class OutboxTest : public WorkerTest {
  protected:
    notify::SmtpSettings smtp_down{"smtp://127.0.0.1:1", "off", 1, 2, true};

    OutboxState row_state(const std::string& where) {
        store::sqlite::Connection c((dir / "t.db").string(), 1000);
        // A fresh connection: its statement cache cannot confuse two texts at one address.
        auto query =
            "SELECT status, attempts, last_error, next_attempt_at FROM outbox WHERE " + where;
        auto s = c.prepare(query.c_str());
        OutboxState out;
        if (s.step()) out = {s.text(0), s.i32(1), s.text(2), s.i64(3)};
        return out;
    }
    void sql(const std::string& statement) {
        store::sqlite::Connection c((dir / "t.db").string(), 1000);
        c.exec(statement);
    }
};

// Point 1: a payload that is not JSON is never sent (it would go without its link) and never
// retried forever: dead at once, with the reason, after one counted attempt.
TEST_F(OutboxTest, AnInvalidPayloadIsADeadLetterNotARetryForever) {
    book();
    sql("UPDATE outbox SET payload='{not json' WHERE kind='confirmation'");
    notify::Composer composer(i18n, templates, "http://localhost");
    notify::OutboxWorker worker(*db, composer, sealer.get(), smtp_down, {});
    worker.process_due(now);
    auto st = row_state("kind='confirmation'");
    EXPECT_EQ(st.status, "dead");
    EXPECT_EQ(st.attempts, 1);
    EXPECT_NE(st.last_error.find("invalid payload"), std::string::npos) << st.last_error;
}

// Point 1: whatever a message's handling throws counts as an attempt (a wrongly typed field:
// dead at once; anything else: retried with back-off, then dead), never a silent lease loop.
TEST_F(OutboxTest, AThrowingMessageCountsItsAttemptAndEndsDeadThenReplays) {
    book();
    sql("UPDATE outbox SET payload='{\"token\": 42}' WHERE kind='confirmation'");
    notify::Composer composer(i18n, templates, "http://localhost");
    notify::OutboxWorker worker(*db, composer, sealer.get(), smtp_down, {});
    worker.process_due(now);
    auto st = row_state("kind='confirmation'");
    EXPECT_EQ(st.status, "dead");
    EXPECT_EQ(st.attempts, 1);
    EXPECT_FALSE(st.last_error.empty());

    // A template that fails to render: an ordinary (temporary) failure, backed off.
    text::Templates broken;  // nothing loaded: every render throws
    notify::Composer failing(i18n, broken, "http://localhost");
    sql("UPDATE outbox SET status='pending', payload='{}', attempts=0, next_attempt_at=0 "
        "WHERE kind='confirmation'");
    notify::WorkerOptions opt;
    opt.first_retry = 10;
    notify::OutboxWorker worker2(*db, failing, sealer.get(),
                                 {"smtp://127.0.0.1:25", "off", 1, 2, true}, opt);
    worker2.process_due(now + 1);
    st = row_state("kind='confirmation'");
    EXPECT_EQ(st.status, "pending");
    EXPECT_EQ(st.attempts, 1);
    EXPECT_GE(st.next_attempt_at, now + 1 + 10);  // backed off, not retried at every lease
    worker2.process_due(now + 3 * 86400);         // still failing a day later: dead
    st = row_state("kind='confirmation'");
    EXPECT_EQ(st.status, "dead");
    EXPECT_EQ(st.attempts, 2);
    db->write([&](store::Session& s) {
        auto dead = s.outbox(1, "dead", 10);
        ASSERT_FALSE(dead.empty());
        EXPECT_TRUE(s.replay(1, dead.front().id, now));
    });
}

// Point 1: recording that a message was sent or cancelled never depends on its payload.
TEST_F(OutboxTest, MarkingSentDoesNotDependOnThePayload) {
    core::Id id = 0;
    db->write([&](store::Session& s) {
        s.enqueue({1, std::nullopt, "k1", "confirmation", "email", "{not json", now});
        s.enqueue(
            {1, std::nullopt, "k2", "confirmation", "email", "{\"token\":\"x\",\"a\":1}", now});
        auto rows = s.claim_due(now, now + 60, 10);
        ASSERT_EQ(rows.size(), 2u);
        id = rows[0].id;
        s.mark_sent(rows[0].id, now);
        s.mark_skipped(rows[1].id, "test");
    });
    EXPECT_EQ(row_state("id=" + std::to_string(id)).status, "sent");
    store::sqlite::Connection c((dir / "t.db").string(), 1000);
    auto s = c.prepare("SELECT payload FROM outbox WHERE idempotency_key='k2'");
    ASSERT_TRUE(s.step());
    EXPECT_EQ(s.text(0), "{\"a\":1}");  // the sealed token is erased
}

// Point 2: the per-number cap counts SMS sent (not attempts), lives in the database (a new
// sender, e.g. after a restart, sees it), and a message held back is a dead letter.
TEST_F(OutboxTest, SmsCapCountsSentMessagesInTheDatabaseAndHoldsAsDeadLetters) {
    core::ManualClock clock(now);
    // 11 failures then success for the first message; then 9 more sent.
    std::vector<int> statuses(11, 503);
    statuses.push_back(200);
    for (int i = 0; i < 9; ++i) statuses.push_back(200);
    test_support::TestGateway gateway(statuses);
    sql("UPDATE organisations SET sms_gateway='{\"url\": \"" + gateway.url() +
        "\", \"body\": \"{\\\"to\\\": \\\"{{to}}\\\", \\\"text\\\": \\\"{{text}}\\\"}\"}'");
    notify::Composer composer(i18n, templates, "http://localhost");
    notify::WorkerOptions opt;
    opt.first_retry = 1;
    opt.max_retry = 1;
    opt.clock = &clock;
    auto first = book_with(0, "", "06 12 34 56 78").appointment;
    {
        notify::OutboxWorker worker(*db, composer, sealer.get(), smtp_down, opt);
        auto key = "appointment_id=" + std::to_string(first.id) +
                   " AND kind='confirmation' AND channel='sms'";
        for (int round = 0; round < 12 && row_state(key).status != "sent"; ++round) {
            clock.advance(5);
            worker.process_due(clock.now());
        }
        auto st = row_state(key);
        EXPECT_EQ(st.status, "sent") << st.last_error;  // 11 failed attempts did not count
        EXPECT_EQ(st.attempts, 12);
        for (int i = 1; i <= 9; ++i) book_with(i * 3, "", "+33 6 12 34 56 78");
        clock.advance(5);
        while (worker.process_due(clock.now()) > 0) {
        }
    }
    EXPECT_EQ(gateway.received().size(), 21u);
    // A new sender (another process, or after a restart): the 11th SMS of the day is held
    // back, as a dead letter with its reason, not cancelled.
    auto eleventh = book_with(40, "", "0612345678").appointment;
    notify::OutboxWorker restarted(*db, composer, sealer.get(), smtp_down, opt);
    clock.advance(5);
    restarted.process_due(clock.now());
    auto st = row_state("appointment_id=" + std::to_string(eleventh.id) +
                        " AND kind='confirmation' AND channel='sms'");
    EXPECT_EQ(st.status, "dead");
    EXPECT_NE(st.last_error.find("per-number SMS limit"), std::string::npos) << st.last_error;
}

// Statistics (issue 14): an SMS sent records its segments (its cost), counted on the text the
// gateway receives; an e-mail records none.
TEST_F(OutboxTest, AnSmsSentRecordsItsSegments) {
    core::ManualClock clock(now);
    test_support::TestGateway gateway({200});
    sql("UPDATE organisations SET sms_gateway='{\"url\": \"" + gateway.url() +
        "\", \"body\": \"{\\\"to\\\": \\\"{{to}}\\\", \\\"text\\\": \\\"{{text}}\\\"}\"}'");
    notify::Composer composer(i18n, templates, "http://localhost");
    notify::WorkerOptions opt;
    opt.clock = &clock;
    auto a = book_with(0, "zoe@example.fr", "06 12 34 56 78").appointment;
    {
        notify::OutboxWorker worker(*db, composer, sealer.get(), smtp_down, opt);
        clock.advance(5);
        worker.process_due(clock.now());
    }
    ASSERT_EQ(gateway.received().size(), 1u);
    auto& request = gateway.received()[0];
    auto body = nlohmann::json::parse(request.substr(request.find("\r\n\r\n") + 4));
    int expected = core::sms_length(body["text"].get<std::string>()).segments;
    EXPECT_GE(expected, 1);
    store::sqlite::Connection c((dir / "t.db").string(), 1000);
    auto s = c.prepare(
        "SELECT channel, status, sms_segments FROM outbox WHERE kind='confirmation' AND "
        "appointment_id=? ORDER BY channel");
    s.bind(1, a.id);
    ASSERT_TRUE(s.step());
    EXPECT_EQ(s.text(0), "email");
    EXPECT_EQ(s.i32(2), 0);
    ASSERT_TRUE(s.step());
    EXPECT_EQ(s.text(0), "sms");
    EXPECT_EQ(s.text(1), "sent");
    EXPECT_EQ(s.i32(2), expected);
}

// Point 2, the store: the count is per number, over 24 hours, and a failed send gives its
// place back.
TEST_F(OutboxTest, SmsReservationsCountPerNumberOverADay) {
    db->write([&](store::Session& s) {
        for (int i = 1; i <= 3; ++i) EXPECT_TRUE(s.reserve_sms(i, "+33612345678", now, 3));
        EXPECT_FALSE(s.reserve_sms(4, "+33612345678", now, 3));
        EXPECT_TRUE(s.reserve_sms(3, "+33612345678", now, 3));  // its own place again
        EXPECT_TRUE(s.reserve_sms(5, "+33699999999", now, 3));  // another number
        s.release_sms(2);
        EXPECT_TRUE(s.reserve_sms(4, "+33612345678", now, 3));
        EXPECT_TRUE(s.reserve_sms(6, "+33612345678", now + 86401, 3));  // a day later
    });
}

// Point 3: Message-ID and calendar UID name the installation and the public host: two
// databases give their appointments different identities.
TEST_F(OutboxTest, IdentitiesAreUniquePerInstallation) {
    std::string first, second;
    db->read([&](store::Session& s) { first = s.installation_value("installation_id").value(); });
    auto other = store::open_sqlite_store({(dir / "other.db").string(), false, 1000});
    other->migrate();
    other->read(
        [&](store::Session& s) { second = s.installation_value("installation_id").value(); });
    EXPECT_EQ(first.size(), 24u);
    EXPECT_NE(first, second);
    other->migrate();  // again: the id stays
    std::string again;
    other->read(
        [&](store::Session& s) { again = s.installation_value("installation_id").value(); });
    EXPECT_EQ(again, second);

    EXPECT_EQ(notify::host_of("https://RDV.example.org:8443/base"), "rdv.example.org");
    EXPECT_EQ(notify::host_of("http://[::1]:8080"), "[::1]");
    notify::Identity a{first, "rdv.example.org"}, b{second, "rdv.example.org"};
    EXPECT_EQ(a.calendar_uid(7), "appointment-7." + first + "@rdv.example.org");
    EXPECT_NE(a.calendar_uid(7), b.calendar_uid(7));
    EXPECT_NE(a.message_id("confirmation:7:0:email"), b.message_id("confirmation:7:0:email"));
    EXPECT_NE(a.message_id("confirmation:7:0:email").find("." + first + "@rdv.example.org"),
              std::string::npos);

    auto token = book();
    notify::Composer composer(i18n, templates, "https://rdv.example.org", a);
    store::OutboxRow row;
    notify::MessageData d;
    db->read([&](store::Session& s) {
        row = s.outbox(1, "pending", 100).back();
        d.appointment = *s.appointment_by_id(1, *row.appointment_id);
        d.org = *s.organisation_by_id(1);
        d.motif = s.motifs(1).front();
        d.site = s.sites(1).front();
    });
    auto mail = composer.citizen_email(row, d);
    ASSERT_EQ(mail.attachments.size(), 1u);
    EXPECT_NE(mail.attachments[0].data.find(a.calendar_uid(d.appointment.id)), std::string::npos);
}

// Point 4: the thank-you (with the survey) goes after an appointment recorded as held only:
// it waits for the outcome, goes as soon as "held" is recorded, and is dropped with its
// reason when no outcome comes. The survey opens only then.
TEST_F(OutboxTest, ThankYouOnlyAfterAHeldAppointment) {
    core::ManualClock clock(now);
    app::BookingService service(*db, {}, sealer.get(), clock);
    auto held = book_with(0, "zoe@example.fr", "", &service).appointment;
    auto unknown = book_with(6, "zoe@example.fr", "", &service).appointment;
    notify::Composer composer(i18n, templates, "http://localhost");
    notify::WorkerOptions opt;
    opt.clock = &clock;
    notify::OutboxWorker worker(*db, composer, sealer.get(), smtp_down, opt);
    auto thank_you = [&](const store::Appointment& a) {
        return row_state("appointment_id=" + std::to_string(a.id) + " AND kind='thank_you'");
    };
    // Due (2 hours after the end), no outcome yet: not sent, waiting.
    clock.set(unknown.ends_at + app::kThankYouDelayMinutes * 60 + 1);
    while (worker.process_due(clock.now()) > 0) {
    }
    for (auto& a : {held, unknown}) {
        auto st = thank_you(a);
        EXPECT_EQ(st.status, "pending");
        EXPECT_EQ(st.attempts, 0) << "sent (tried) without a recorded outcome";
    }
    // "Held" recorded: the thank-you is due at once and tried (the mail server is down).
    ASSERT_EQ(
        service.record_outcome(1, held.id, store::AppointmentStatus::honoured, "agent:1").outcome,
        app::Outcome::ok);
    while (worker.process_due(clock.now()) > 0) {
    }
    EXPECT_EQ(thank_you(held).attempts, 1);
    EXPECT_EQ(thank_you(unknown).attempts, 0);
    // No outcome two days after the end: not sent, and the reason says why.
    clock.set(unknown.ends_at + opt.thank_you_waits_for_outcome + 1);
    while (worker.process_due(clock.now()) > 0) {
    }
    auto st = thank_you(unknown);
    EXPECT_EQ(st.status, "cancelled");
    EXPECT_EQ(st.last_error, "no outcome recorded");
}

// Point 4: the survey is open after a held appointment only.
TEST_F(OutboxTest, SurveyOpensAfterAHeldAppointmentOnly) {
    core::ManualClock clock(now);
    app::BookingService service(*db, {}, sealer.get(), clock);
    auto res = book_with(0, "zoe@example.fr", "", &service);
    auto after = res.appointment.ends_at + 60;
    clock.set(after);
    EXPECT_FALSE(service.find(res.token)->survey_open(after));
    EXPECT_EQ(service.answer_survey(res.token, 5, "").outcome, app::Outcome::gone)
        << "a survey answered for an appointment whose outcome is unknown";
    ASSERT_EQ(
        service.record_outcome(1, res.appointment.id, store::AppointmentStatus::honoured, "agent:1")
            .outcome,
        app::Outcome::ok);
    EXPECT_TRUE(service.find(res.token)->survey_open(after));
    EXPECT_EQ(service.answer_survey(res.token, 5, "").outcome, app::Outcome::ok);
}

// Point 6: an idle sender reads, it does not write; a booking wakes it at once.
TEST_F(OutboxTest, AnIdleSenderDoesNotWriteAndABookingWakesIt) {
    CountingStore counting(*db);
    notify::Composer composer(i18n, templates, "http://localhost");
    notify::WorkerOptions opt;
    opt.threads = 1;
    opt.idle_poll = std::chrono::milliseconds(2);  // many idle passes, quickly
    notify::OutboxWorker worker(counting, composer, sealer.get(), smtp_down, opt);
    worker.start();
    auto wait_for = [&](auto condition) {
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (!condition() && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        return condition();
    };
    ASSERT_TRUE(wait_for([&] { return worker.stats().passes.load() >= 2; }));
    int writes = counting.writes.load();
    long passes = worker.stats().passes.load();
    ASSERT_TRUE(wait_for([&] { return worker.stats().passes.load() >= passes + 50; }));
    EXPECT_EQ(counting.writes.load(), writes) << "an idle sender wrote";
    worker.stop();

    // Woken by the booking, not by the poll: with an hour-long poll the confirmation is
    // still tried at once.
    opt.idle_poll = std::chrono::hours(1);
    notify::OutboxWorker sleeper(*db, composer, sealer.get(), smtp_down, opt);
    sleeper.start();
    ASSERT_TRUE(wait_for([&] { return sleeper.stats().passes.load() >= 1; }));
    app::BookingService service(*db, {}, sealer.get());
    service.on_messages_queued([&] { sleeper.wake(); });
    auto a = book_with(0, "zoe@example.fr", "", &service).appointment;
    EXPECT_TRUE(wait_for([&] {
        return row_state("appointment_id=" + std::to_string(a.id) + " AND kind='confirmation'")
                   .attempts == 1;
    })) << "the confirmation waited for the poll";
    sleeper.stop();
}

// Point 21: the "links" message lists every appointment with its new link; its SMS keeps the
// soonest links that fit in kMaxSmsSegments.
TEST_F(WorkerTest, ComposesTheLinksMessageWithEveryLink) {
    std::vector<app::BookResult> booked;
    for (int i : {0, 3, 6, 9, 12}) booked.push_back(book_with(i, "zoe@example.fr", ""));
    notify::Composer composer(i18n, templates, "https://rdv.example.org");
    notify::MessageData d;
    db->read([&](store::Session& s) {
        d.org = *s.organisation_by_id(1);
        for (auto& b : booked) {
            notify::LinkedAppointment l;
            l.appointment = *s.appointment_by_id(1, b.appointment.id);
            for (auto& m : s.motifs(1))
                if (m.id == l.appointment.motif_id) l.motif = m;
            for (auto& site : s.sites(1))
                if (site.id == l.appointment.site_id) l.site = site;
            l.token = app::new_token();
            d.links.push_back(l);
        }
    });
    d.appointment = d.links.front().appointment;
    store::OutboxRow row;
    row.kind = "links";
    auto mail = composer.citizen_email(row, d);
    EXPECT_EQ(mail.subject, "Vos liens de rendez-vous");
    EXPECT_EQ(mail.to_address, "zoe@example.fr");
    EXPECT_TRUE(mail.attachments.empty());
    for (auto& l : d.links) {
        EXPECT_NE(mail.text.find("https://rdv.example.org/manage/" + l.token + "?lang=fr"),
                  std::string::npos);
        EXPECT_NE(mail.html.find(l.token), std::string::npos);
    }
    auto sms = composer.citizen_sms(row, d);
    EXPECT_LE(core::sms_length(sms).segments, notify::kMaxSmsSegments) << sms;
    EXPECT_NE(sms.find(d.links.front().token), std::string::npos) << sms;
    EXPECT_EQ(sms.find(d.links.back().token), std::string::npos) << "five links in one SMS?";
}
