// Staff accounts: password policy, Argon2id hashing, TOTP (RFC 6238 vectors at fixed
// instants), the sign-in throttle, sessions (idle timeout, lifetime, revocation) on a
// ManualClock, and the demo's agents as accounts.
#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "app/accounts.hpp"
#include "app/demo.hpp"
#include "app/passwords.hpp"
#include "app/tokens.hpp"
#include "core/clock.hpp"
#include "core/password_policy.hpp"
#include "core/sign_in_throttle.hpp"
#include "core/totp.hpp"
#include "store/secrets.hpp"
#include "store/sqlite.hpp"
#include "store/store.hpp"

using namespace vg;
namespace fs = std::filesystem;

// --- password policy -------------------------------------------------------------------

TEST(PasswordPolicy, RefusesShortAndGuessablePasswords) {
    auto v = core::check_password("password1234", false, {});
    EXPECT_FALSE(v.ok);
    EXPECT_EQ(v.reason, "password.guessable");
    EXPECT_LT(v.bits, core::kMinPasswordBits);
    EXPECT_EQ(core::check_password("short pass", false, {}).reason, "password.too_short");
    EXPECT_EQ(core::check_password("aaaaaaaaaaaaaaaa", false, {}).reason, "password.guessable");
    EXPECT_EQ(core::check_password("azertyuiop123456", false, {}).reason, "password.guessable");
    EXPECT_EQ(core::check_password(std::string(300, 'x'), false, {}).reason, "password.too_long");
    EXPECT_EQ(core::check_password("bad\xff utf8 text here", false, {}).reason, "password.invalid");
}

TEST(PasswordPolicy, AcceptsLongUnguessablePasswords) {
    auto v = core::check_password("tulipe-gravier-Orbite-93", false, {});
    EXPECT_TRUE(v.ok) << v.reason << " " << v.bits;
    // Twelve characters suffice for an agent, not for an administrator (16).
    EXPECT_TRUE(core::check_password("kR7#vq2!Lp9z", false, {}).ok);
    auto admin = core::check_password("kR7#vq2!Lp9z", true, {});
    EXPECT_FALSE(admin.ok);
    EXPECT_EQ(admin.reason, "password.too_short");
    EXPECT_EQ(admin.min_length, 16);
}

TEST(PasswordPolicy, PersonalWordsCountAsGuessable) {
    // Strong for a stranger, weak for this person: their name and organisation are words.
    std::string pw = "Valentinebrassac-Caf1978";
    EXPECT_TRUE(core::check_password(pw, false, {}).ok);
    auto words = core::personal_words(
        {"valentine.brassac@caf-exemple.fr", "Valentine Brassac", "CAF exemple"});
    EXPECT_NE(std::find(words.begin(), words.end(), "brassac"), words.end());
    auto v = core::check_password(pw, false, words);
    EXPECT_FALSE(v.ok) << v.bits;
    EXPECT_EQ(v.reason, "password.guessable");
}

// --- hashing ---------------------------------------------------------------------------

TEST(PasswordHash, Argon2idWithTheChosenParameters) {
    app::init_crypto();
    auto h = app::hash_password("tulipe-gravier-Orbite-93");
    EXPECT_EQ(h.rfind("$argon2id$v=19$m=65536,t=2,p=1$", 0), 0u) << h;
    EXPECT_TRUE(app::verify_password(h, "tulipe-gravier-Orbite-93"));
    EXPECT_FALSE(app::verify_password(h, "tulipe-gravier-Orbite-94"));
    EXPECT_FALSE(app::verify_password("not a hash", "x"));
    EXPECT_FALSE(app::password_needs_rehash(h));
    EXPECT_NE(app::hash_password("tulipe-gravier-Orbite-93"), h);  // salted
}

// --- TOTP --------------------------------------------------------------------------------

TEST(Totp, Rfc6238VectorsAtFixedInstants) {
    // RFC 6238 appendix B, SHA-1, 8 digits, secret "12345678901234567890".
    const std::string secret = "12345678901234567890";
    const std::pair<core::Instant, const char*> vectors[] = {
        {59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
        {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"}};
    core::ManualClock clock(0);
    for (auto [t, code] : vectors) {
        clock.set(t);
        EXPECT_EQ(core::totp_code(secret, clock.now(), 8), code) << t;
        EXPECT_EQ(core::totp_match(secret, code, clock.now(), 0, 8), core::totp_step(t));
    }
}

TEST(Totp, MatchesOneStepOfDriftOnlyAndRejectsJunk) {
    const std::string secret = "12345678901234567890";
    core::ManualClock clock(1111111111);
    auto code = core::totp_code(secret, clock.now());
    EXPECT_EQ(code.size(), 6u);
    clock.advance(30);  // the phone is one step behind
    EXPECT_EQ(core::totp_match(secret, code, clock.now()), core::totp_step(1111111111));
    clock.advance(60);  // three steps: too far
    EXPECT_FALSE(core::totp_match(secret, code, clock.now()));
    EXPECT_FALSE(core::totp_match(secret, "12345", clock.now()));
    EXPECT_FALSE(core::totp_match(secret, "12a456", clock.now()));
}

TEST(Totp, Base32AndOtpauthUri) {
    // RFC 4648 test vectors (without padding).
    EXPECT_EQ(core::base32_encode("foobar"), "MZXW6YTBOI");
    EXPECT_EQ(core::base32_encode("f"), "MY");
    EXPECT_EQ(core::base32_decode("mzxw 6ytb oi"), "foobar");
    EXPECT_FALSE(core::base32_decode("MZ1W"));
    EXPECT_EQ(core::otpauth_uri("CAF Exemple", "a@b.fr", "foobar"),
              "otpauth://totp/CAF%20Exemple:a%40b.fr?secret=MZXW6YTBOI&issuer=CAF%20Exemple"
              "&algorithm=SHA1&digits=6&period=30");
}

// --- throttle ---------------------------------------------------------------------------

TEST(SignInThrottle, GrowingDelaysThenLockThenFreshStart) {
    core::ThrottlePolicy p{3, 7, 900, 60, 86400};
    core::ThrottleState s;
    core::Instant now = 1000;
    std::vector<core::Instant> delays;
    for (int i = 1; i <= 6; ++i) {
        auto step = core::record_failure(p, s, now);
        EXPECT_FALSE(step.locked);
        s = step.state;
        delays.push_back(s.blocked_until ? s.blocked_until - now : 0);
        now = std::max(now, s.blocked_until);
    }
    EXPECT_EQ(delays, (std::vector<core::Instant>{0, 0, 0, 1, 2, 4}));
    auto step = core::record_failure(p, s, now);
    EXPECT_TRUE(step.locked);
    EXPECT_EQ(step.state.blocked_until, now + 900);
    EXPECT_TRUE(core::is_blocked(step.state, now + 899));
    EXPECT_FALSE(core::is_blocked(step.state, now + 900));
    // After the lock, the count starts again.
    auto after = core::record_failure(p, step.state, now + 900);
    EXPECT_EQ(after.state.failures, 1);
    EXPECT_EQ(after.state.blocked_until, 0);
}

// --- the service on a database ---------------------------------------------------------

namespace {

constexpr core::Instant kNow = 1795593600;  // Wednesday 25 November 2026, 09:00 Paris
const std::string kGood = "tulipe-gravier-Orbite-93";

class AccountsTest : public ::testing::Test {
  protected:
    void SetUp() override {
        app::init_crypto();
        dir = fs::temp_directory_path() /
              ("vg-accounts-" + std::to_string(::getpid()) + "-" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir);
        fs::create_directories(dir);
        clock = std::make_unique<core::ManualClock>(kNow);
        db = store::open_sqlite_store({(dir / "t.db").string(), false, 10000, clock.get()});
        db->migrate();
        app::AccountSettings settings;
        settings.session_idle = 600;
        settings.session_lifetime = 3600;
        settings.per_email = {2, 4, 300, 60, 86400};
        service = std::make_unique<app::AccountService>(*db, *clock, &sealer, settings);
        service->create_organisation("caf-test", "CAF Test", "test");
        service->add_member("caf-test", "Agent.One@Example.fr", "agent", "Agent One", "test");
    }
    void TearDown() override {
        service.reset();
        db.reset();
        fs::remove_all(dir);
    }
    // Counted through a connection of its own.
    int audit(const std::string& action) {
        store::sqlite::Connection c((dir / "t.db").string(), 1000);
        auto s = c.prepare("SELECT COUNT(*) FROM audit_log WHERE action=?");
        s.bind(1, action);
        s.step();
        return s.i32(0);
    }

    fs::path dir;
    std::unique_ptr<core::ManualClock> clock;
    std::unique_ptr<store::Store> db;
    std::unique_ptr<app::AccountService> service;
    store::Sealer sealer{std::string(32, 'k')};
};

}  // namespace

TEST_F(AccountsTest, EmailsAreUniqueCaseInsensitively) {
    auto a = service->add_member("caf-test", "agent.one@example.FR", "supervisor", "", "test");
    auto list = service->list(std::string("caf-test"));
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0].account.id, a.id);
    EXPECT_EQ(list[0].memberships.size(), 2u);
    EXPECT_THROW(service->add_member("nowhere", "x@example.fr", "agent", "", "t"),
                 app::AccountError);
    EXPECT_THROW(service->add_member("caf-test", "x@example.fr", "boss", "", "t"),
                 app::AccountError);
    EXPECT_THROW(service->add_member("caf-test", "not-an-email", "agent", "", "t"),
                 app::AccountError);
    EXPECT_THROW(service->create_organisation("caf-test", "Again", "t"), app::AccountError);
    EXPECT_THROW(service->create_organisation("login", "Reserved", "t"), app::AccountError);
}

TEST_F(AccountsTest, PasswordPolicyUsesTheOrganisationAndThePerson) {
    EXPECT_EQ(service->set_password("agent.one@example.fr", "password1234", "t").reason,
              "password.guessable");
    EXPECT_EQ(service->set_password("agent.one@example.fr", "CafTest-AgentOne", "t").reason,
              "password.guessable");
    EXPECT_TRUE(service->set_password("AGENT.ONE@example.fr", kGood, "t").ok);
    // An administrator needs 16 characters.
    service->add_member("caf-test", "boss@example.fr", "admin", "Boss", "t");
    EXPECT_EQ(service->set_password("boss@example.fr", "kR7#vq2!Lp9z", "t").reason,
              "password.too_short");
}

TEST_F(AccountsTest, SignInWithoutPasswordOrUnknownIsRefusedAlike) {
    auto unknown = service->sign_in("nobody@example.fr", kGood, "192.0.2.1", "");
    auto no_password = service->sign_in("agent.one@example.fr", kGood, "192.0.2.1", "");
    EXPECT_EQ(unknown.outcome, app::AccountService::Outcome::refused);
    EXPECT_EQ(no_password.outcome, app::AccountService::Outcome::refused);
    EXPECT_TRUE(unknown.session_id.empty());
}

TEST_F(AccountsTest, SessionIdleTimeoutLifetimeRotationAndSignOutEverywhere) {
    ASSERT_TRUE(service->set_password("agent.one@example.fr", kGood, "t").ok);
    auto first = service->sign_in("agent.one@example.fr", kGood, "192.0.2.1", "");
    ASSERT_EQ(first.outcome, app::AccountService::Outcome::signed_in);
    EXPECT_EQ(first.stage, "full");  // agents: no second factor required
    auto current = service->session(first.session_id);
    ASSERT_TRUE(current);
    EXPECT_EQ(current->membership()->organisation_slug, "caf-test");

    // Signing in again with the old cookie: a new id, the old one revoked.
    auto second = service->sign_in("agent.one@example.fr", kGood, "192.0.2.1", first.session_id);
    EXPECT_NE(second.session_id, first.session_id);
    EXPECT_FALSE(service->session(first.session_id));

    // Idle timeout: 600 s of silence ends it; activity keeps it alive.
    clock->advance(590);
    EXPECT_TRUE(service->session(second.session_id));
    clock->advance(590);
    EXPECT_TRUE(service->session(second.session_id));
    clock->advance(601);
    EXPECT_FALSE(service->session(second.session_id));

    // Absolute lifetime: 3600 s whatever the activity.
    auto third = service->sign_in("agent.one@example.fr", kGood, "192.0.2.1", "");
    for (int i = 0; i < 6; ++i) {
        clock->advance(500);
        EXPECT_TRUE(service->session(third.session_id)) << i;
    }
    clock->advance(600);
    EXPECT_FALSE(service->session(third.session_id));

    // Sign out everywhere ends the other sessions too.
    auto a = service->sign_in("agent.one@example.fr", kGood, "192.0.2.1", "");
    auto b = service->sign_in("agent.one@example.fr", kGood, "192.0.2.2", "");
    EXPECT_EQ(service->sign_out_everywhere(a.session_id), 2);
    EXPECT_FALSE(service->session(a.session_id));
    EXPECT_FALSE(service->session(b.session_id));
    EXPECT_FALSE(service->session("not-a-token"));
}

TEST_F(AccountsTest, LockAfterFailuresPerEmailThenUnlockAfterTheDelay) {
    ASSERT_TRUE(service->set_password("agent.one@example.fr", kGood, "t").ok);
    using O = app::AccountService::Outcome;
    // Policy of the fixture: 2 free failures, a 1 s delay, then locked at the 4th for 300 s.
    EXPECT_EQ(service->sign_in("agent.one@example.fr", "wrong", "192.0.2.1", "").outcome,
              O::refused);
    EXPECT_EQ(service->sign_in("agent.one@example.fr", "wrong", "192.0.2.1", "").outcome,
              O::refused);
    EXPECT_EQ(service->sign_in("agent.one@example.fr", "wrong", "192.0.2.1", "").outcome,
              O::refused);
    // A delay runs: even the right password is refused unheard.
    auto delayed = service->sign_in("agent.one@example.fr", kGood, "192.0.2.1", "");
    EXPECT_EQ(delayed.outcome, O::blocked);
    EXPECT_EQ(delayed.retry_at, kNow + 1);
    clock->advance(1);
    EXPECT_EQ(service->sign_in("Agent.One@example.fr", "wrong", "192.0.2.9", "").outcome,
              O::refused);
    auto locked = service->sign_in("agent.one@example.fr", kGood, "192.0.2.1", "");
    EXPECT_EQ(locked.outcome, O::blocked);
    EXPECT_EQ(locked.retry_at, kNow + 1 + 300);
    EXPECT_EQ(audit("signin.failure"), 4);
    EXPECT_EQ(audit("signin.lock"), 1);
    EXPECT_EQ(audit("signin.blocked"), 2);
    // The same for an address nobody has: the answers tell nothing.
    for (int i = 0; i < 3; ++i) service->sign_in("ghost@example.fr", "wrong", "192.0.2.3", "");
    EXPECT_EQ(service->sign_in("ghost@example.fr", "wrong", "192.0.2.3", "").outcome, O::blocked);
    // The lock survives a restart (it is in the database) and ends after its delay.
    service = std::make_unique<app::AccountService>(*db, *clock, &sealer, service->settings());
    clock->advance(299);
    EXPECT_EQ(service->sign_in("agent.one@example.fr", kGood, "192.0.2.1", "").outcome, O::blocked);
    clock->advance(1);
    EXPECT_EQ(service->sign_in("agent.one@example.fr", kGood, "192.0.2.1", "").outcome,
              O::signed_in);
}

TEST_F(AccountsTest, SupervisorsAndAdministratorsMustEnrolASecondFactor) {
    service->add_member("caf-test", "sup@example.fr", "supervisor", "Sup", "t");
    ASSERT_TRUE(service->set_password("sup@example.fr", kGood, "t").ok);
    auto r = service->sign_in("sup@example.fr", kGood, "192.0.2.1", "");
    ASSERT_EQ(r.outcome, app::AccountService::Outcome::signed_in);
    EXPECT_EQ(r.stage, "enrol");
}

TEST_F(AccountsTest, TheDemoAgentsAreAccountsWithoutPassword) {
    ASSERT_TRUE(app::load_demo(*db, kNow));
    auto list = service->list(std::string("demo"));
    ASSERT_EQ(list.size(), 6u);
    for (auto& l : list) {
        EXPECT_FALSE(l.account.password_hash);
        ASSERT_EQ(l.memberships.size(), 1u);
        EXPECT_EQ(l.memberships[0].role, "agent");
        EXPECT_TRUE(l.memberships[0].agent_id);
    }
}

TEST_F(AccountsTest, TotpEnrolmentSecondFactorNoReplayAndRecoveryCodesOnce) {
    service->add_member("caf-test", "sup@example.fr", "supervisor", "Sup", "t");
    ASSERT_TRUE(service->set_password("sup@example.fr", kGood, "t").ok);
    auto r = service->sign_in("sup@example.fr", kGood, "192.0.2.1", "");
    ASSERT_EQ(r.stage, "enrol");
    auto current = service->session(r.session_id);
    ASSERT_TRUE(current);
    auto e = service->begin_enrolment(*current, "Visioguichet");
    ASSERT_TRUE(e);
    EXPECT_EQ(e->secret_base32.size(), 32u);  // 160 bits
    EXPECT_EQ(e->otpauth_uri.rfind(
                  "otpauth://totp/Visioguichet:sup%40example.fr?secret=" + e->secret_base32, 0),
              0u);
    auto secret = *core::base32_decode(e->secret_base32);
    // The same secret again after a wrong code.
    EXPECT_EQ(service->begin_enrolment(*current, "Visioguichet", e->sealed)->secret_base32,
              e->secret_base32);
    auto wrong = core::totp_code(secret, kNow);
    wrong[0] = char('0' + (wrong[0] - '0' + 1) % 10);
    EXPECT_TRUE(service->confirm_enrolment(r.session_id, e->sealed, wrong).empty());
    auto codes = service->confirm_enrolment(r.session_id, e->sealed, core::totp_code(secret, kNow));
    ASSERT_EQ(codes.size(), 10u);
    EXPECT_EQ(service->session(r.session_id)->session.stage, "full");

    // Next sign-in: the password, then a code of a later step (the enrolment's is used).
    auto s2 = service->sign_in("sup@example.fr", kGood, "192.0.2.1", "");
    ASSERT_EQ(s2.stage, "totp");
    using O = app::AccountService::Outcome;
    EXPECT_EQ(service->second_factor(s2.session_id, core::totp_code(secret, kNow)), O::refused);
    clock->advance(30);
    auto code = core::totp_code(secret, clock->now());
    EXPECT_EQ(service->second_factor(s2.session_id, code), O::signed_in);
    EXPECT_EQ(service->session(s2.session_id)->session.stage, "full");
    // The same code cannot open another session (replay).
    auto s3 = service->sign_in("sup@example.fr", kGood, "192.0.2.1", "");
    EXPECT_EQ(service->second_factor(s3.session_id, code), O::refused);
    // A recovery code works once, in any case and with or without its hyphen.
    std::string upper;
    for (char c : codes[3])
        if (c != '-') upper += char(std::toupper(static_cast<unsigned char>(c)));
    EXPECT_EQ(service->second_factor(s3.session_id, upper), O::signed_in);
    auto s4 = service->sign_in("sup@example.fr", kGood, "192.0.2.1", "");
    EXPECT_EQ(service->second_factor(s4.session_id, codes[3]), O::refused);
    EXPECT_EQ(service->second_factor(s4.session_id, codes[4]), O::signed_in);
    // A session waiting for its code opens no console page and cannot enrol a new secret.
    auto s5 = service->sign_in("sup@example.fr", kGood, "192.0.2.1", "");
    EXPECT_TRUE(
        service->confirm_enrolment(s5.session_id, e->sealed, core::totp_code(secret, clock->now()))
            .empty());
    EXPECT_EQ(audit("totp.enrol"), 1);
    EXPECT_EQ(audit("signin.second_factor"), 3);
}

TEST_F(AccountsTest, ResetLinkIsSingleUseAndExpiresAfterThirtyMinutes) {
    EXPECT_FALSE(service->send_link("nobody@example.fr", "reset", "t"));
    // Unknown or not, the request commits a journal line: both answers wait for a disk write.
    EXPECT_EQ(audit("account.link_refused"), 1);
    ASSERT_TRUE(service->send_link("agent.one@example.fr", "reset", "t"));
    std::vector<store::OutboxRow> rows;
    db->read([&](store::Session& s) { rows = s.outbox(1, "pending", 10); });
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].kind, "account_reset");
    auto payload = nlohmann::json::parse(rows[0].payload);
    auto token = *sealer.open(payload["token"].get<std::string>());
    ASSERT_TRUE(app::looks_like_token(token));
    EXPECT_TRUE(service->link_account(token, "reset"));
    EXPECT_FALSE(service->link_account(token, "invitation"));
    EXPECT_EQ(service->redeem_link(token, "reset", "password1234").reason, "password.guessable");
    EXPECT_TRUE(service->redeem_link(token, "reset", kGood).ok);
    EXPECT_EQ(service->redeem_link(token, "reset", kGood).reason, "link.invalid");
    EXPECT_EQ(service->sign_in("agent.one@example.fr", kGood, "192.0.2.1", "").outcome,
              app::AccountService::Outcome::signed_in);

    ASSERT_TRUE(service->send_link("agent.one@example.fr", "invitation", "t"));
    db->read([&](store::Session& s) { rows = s.outbox(1, "pending", 10); });
    auto invitation = std::find_if(rows.begin(), rows.end(), [](const store::OutboxRow& r) {
        return r.kind == "account_invitation";
    });
    ASSERT_NE(invitation, rows.end());
    auto second =
        *sealer.open(nlohmann::json::parse(invitation->payload)["token"].get<std::string>());
    clock->advance(1799);
    EXPECT_TRUE(service->link_account(second, "invitation"));
    clock->advance(1);
    EXPECT_FALSE(service->link_account(second, "invitation"));
    EXPECT_EQ(service->redeem_link(second, "invitation", kGood).reason, "link.invalid");
}
