// SQLite queries: staff accounts, memberships, sessions, single-use links, recovery codes and
// the sign-in throttle.
#include <cctype>

#include "core/encoding.hpp"
#include "store/sqlite_rows.hpp"
#include "store/sqlite_session.hpp"

namespace vg::store::sqlite {

namespace {

// The unique key of an e-mail: ASCII lower case, as SQL lower() (migration 9) makes it.
std::string email_key(const std::string& email) {
    return core::ascii_lower(email);
}

#define VG_ACCOUNT_COLUMNS                                                                     \
    "id, email, display_name, password_hash, totp_secret, totp_last_step, is_platform_admin, " \
    "created_at, disabled_at, language"

Account read_account(const Stmt& s) {
    Account a;
    a.id = s.i64(0);
    a.email = s.text(1);
    a.display_name = s.text(2);
    if (!s.is_null(3)) a.password_hash = s.text(3);
    if (!s.is_null(4)) a.totp_secret = s.text(4);
    a.totp_last_step = s.i64(5);
    a.platform_admin = s.i64(6) != 0;
    a.created_at = s.i64(7);
    a.disabled_at = s.opt_i64(8);
    if (!s.is_null(9)) a.language = s.text(9);
    return a;
}

#define VG_STAFF_SESSION_COLUMNS                                                          \
    "id_hash, account_id, organisation_id, stage, created_at, last_seen_at, expires_at, " \
    "revoked_at"

StaffSession read_staff_session(const Stmt& s) {
    StaffSession x;
    x.id_hash = s.text(0);
    x.account_id = s.i64(1);
    x.organisation_id = s.opt_i64(2);
    x.stage = s.text(3);
    x.created_at = s.i64(4);
    x.last_seen_at = s.i64(5);
    x.expires_at = s.i64(6);
    x.revoked_at = s.opt_i64(7);
    return x;
}

}  // namespace

Id SqliteSession::insert_account(const Account& a) {
    auto s = c_.prepare(
        "INSERT INTO accounts (email, email_key, display_name, password_hash, totp_secret, "
        "is_platform_admin, created_at, disabled_at) VALUES (?,?,?,?,?,?,?,?) RETURNING id");
    s.bind(1, a.email)
        .bind(2, email_key(a.email))
        .bind(3, a.display_name)
        .bind(4, a.password_hash)
        .bind(5, a.totp_secret)
        .bind(6, a.platform_admin ? 1 : 0)
        .bind(7, a.created_at ? a.created_at : now())
        .bind(8, a.disabled_at);
    s.step();
    Id id = s.i64(0);
    s.run();
    return id;
}

std::optional<Account> SqliteSession::account_by_id(Id id) {
    auto s = c_.prepare("SELECT " VG_ACCOUNT_COLUMNS " FROM accounts WHERE id=?");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return read_account(s);
}

std::optional<Account> SqliteSession::account_by_email(const std::string& email) {
    auto s = c_.prepare("SELECT " VG_ACCOUNT_COLUMNS " FROM accounts WHERE email_key=?");
    s.bind(1, email_key(email));
    if (!s.step()) return std::nullopt;
    return read_account(s);
}

std::vector<Account> SqliteSession::accounts(std::optional<Id> org) {
    std::vector<Account> out;
    if (org) {
        auto s = c_.prepare("SELECT " VG_ACCOUNT_COLUMNS
                            " FROM accounts WHERE id IN (SELECT account_id FROM memberships "
                            "WHERE organisation_id=?) ORDER BY email_key");
        s.bind(1, *org);
        while (s.step()) out.push_back(read_account(s));
    } else {
        auto s = c_.prepare("SELECT " VG_ACCOUNT_COLUMNS " FROM accounts ORDER BY email_key");
        while (s.step()) out.push_back(read_account(s));
    }
    return out;
}

void SqliteSession::set_password_hash(Id account, const std::string& hash) {
    auto s = c_.prepare("UPDATE accounts SET password_hash=? WHERE id=?");
    s.bind(1, hash).bind(2, account);
    s.run();
}

void SqliteSession::set_account_disabled(Id account, std::optional<Instant> at) {
    auto s = c_.prepare("UPDATE accounts SET disabled_at=? WHERE id=?");
    s.bind(1, at).bind(2, account);
    s.run();
}

void SqliteSession::set_totp_secret(Id account, const std::optional<std::string>& sealed) {
    auto s = c_.prepare("UPDATE accounts SET totp_secret=?, totp_last_step=0 WHERE id=?");
    s.bind(1, sealed).bind(2, account);
    s.run();
}

bool SqliteSession::advance_totp_step(Id account, std::int64_t step) {
    auto s = c_.prepare("UPDATE accounts SET totp_last_step=? WHERE id=? AND totp_last_step < ?");
    s.bind(1, step).bind(2, account).bind(3, step);
    s.run();
    return c_.changes() == 1;
}

std::vector<Membership> SqliteSession::memberships(Id account) {
    auto s = c_.prepare(
        "SELECT m.account_id, m.organisation_id, m.role, m.agent_id, o.slug, o.name, m.partner_id "
        "FROM memberships m JOIN organisations o ON o.id = m.organisation_id "
        "WHERE m.account_id=? ORDER BY o.slug, m.role");
    s.bind(1, account);
    std::vector<Membership> out;
    while (s.step()) {
        Membership m;
        m.account_id = s.i64(0);
        m.organisation_id = s.i64(1);
        m.role = s.text(2);
        m.agent_id = s.opt_i64(3);
        m.organisation_slug = s.text(4);
        m.organisation_name = s.text(5);
        m.partner_id = s.opt_i64(6);
        out.push_back(std::move(m));
    }
    return out;
}

bool SqliteSession::add_membership(const Membership& m) {
    auto s = c_.prepare(
        "INSERT INTO memberships (account_id, organisation_id, role, agent_id, created_at, "
        "partner_id) VALUES (?,?,?,?,?,?) ON CONFLICT (account_id, organisation_id, role) "
        "DO NOTHING");
    s.bind(1, m.account_id)
        .bind(2, m.organisation_id)
        .bind(3, m.role)
        .bind(4, m.agent_id)
        .bind(5, now())
        .bind(6, m.partner_id);
    s.run();
    return c_.changes() == 1;
}

void SqliteSession::insert_staff_session(const StaffSession& x) {
    auto s = c_.prepare("INSERT INTO staff_sessions (" VG_STAFF_SESSION_COLUMNS
                        ") VALUES (?,?,?,?,?,?,?,?)");
    s.bind(1, x.id_hash)
        .bind(2, x.account_id)
        .bind(3, x.organisation_id)
        .bind(4, x.stage)
        .bind(5, x.created_at)
        .bind(6, x.last_seen_at)
        .bind(7, x.expires_at)
        .bind(8, x.revoked_at);
    s.run();
}

std::optional<StaffSession> SqliteSession::staff_session(const std::string& id_hash) {
    auto s = c_.prepare("SELECT " VG_STAFF_SESSION_COLUMNS " FROM staff_sessions WHERE id_hash=?");
    s.bind(1, id_hash);
    if (!s.step()) return std::nullopt;
    return read_staff_session(s);
}

void SqliteSession::update_staff_session(const StaffSession& x) {
    auto s = c_.prepare(
        "UPDATE staff_sessions SET organisation_id=?, stage=?, last_seen_at=? WHERE id_hash=?");
    s.bind(1, x.organisation_id).bind(2, x.stage).bind(3, x.last_seen_at).bind(4, x.id_hash);
    s.run();
}

void SqliteSession::revoke_staff_session(const std::string& id_hash, Instant at) {
    auto s =
        c_.prepare("UPDATE staff_sessions SET revoked_at=? WHERE id_hash=? AND revoked_at IS NULL");
    s.bind(1, at).bind(2, id_hash);
    s.run();
}

int SqliteSession::revoke_staff_sessions(Id account, Instant at) {
    auto s = c_.prepare(
        "UPDATE staff_sessions SET revoked_at=? WHERE account_id=? AND revoked_at IS NULL "
        "AND expires_at > ?");
    s.bind(1, at).bind(2, account).bind(3, at);
    s.run();
    return c_.changes();
}

void SqliteSession::insert_account_token(const AccountToken& t) {
    auto s = c_.prepare(
        "INSERT INTO account_tokens (token_hash, account_id, purpose, organisation_id, "
        "created_at, expires_at) VALUES (?,?,?,?,?,?)");
    s.bind(1, t.token_hash)
        .bind(2, t.account_id)
        .bind(3, t.purpose)
        .bind(4, t.organisation_id)
        .bind(5, t.created_at ? t.created_at : now())
        .bind(6, t.expires_at);
    s.run();
}

namespace {

AccountToken read_account_token(const Stmt& s) {
    AccountToken t;
    t.token_hash = s.text(0);
    t.account_id = s.i64(1);
    t.purpose = s.text(2);
    t.organisation_id = s.opt_i64(3);
    t.created_at = s.i64(4);
    t.expires_at = s.i64(5);
    return t;
}

}  // namespace

std::optional<AccountToken> SqliteSession::account_token(const std::string& token_hash,
                                                         const std::string& purpose, Instant at) {
    auto s = c_.prepare(
        "SELECT token_hash, account_id, purpose, organisation_id, created_at, expires_at FROM "
        "account_tokens WHERE token_hash=? AND purpose=? AND used_at IS NULL AND expires_at > ?");
    s.bind(1, token_hash).bind(2, purpose).bind(3, at);
    if (!s.step()) return std::nullopt;
    auto t = read_account_token(s);
    s.run();
    return t;
}

std::optional<AccountToken> SqliteSession::take_account_token(const std::string& token_hash,
                                                              const std::string& purpose,
                                                              Instant at) {
    auto s = c_.prepare(
        "UPDATE account_tokens SET used_at=? WHERE token_hash=? AND purpose=? AND used_at IS "
        "NULL AND expires_at > ? RETURNING token_hash, account_id, purpose, organisation_id, "
        "created_at, expires_at");
    s.bind(1, at).bind(2, token_hash).bind(3, purpose).bind(4, at);
    if (!s.step()) return std::nullopt;
    auto t = read_account_token(s);
    s.run();
    return t;
}

void SqliteSession::set_recovery_codes(Id account, const std::vector<std::string>& hashes) {
    auto del = c_.prepare("DELETE FROM recovery_codes WHERE account_id=?");
    del.bind(1, account);
    del.run();
    for (auto& h : hashes) {
        auto s = c_.prepare(
            "INSERT INTO recovery_codes (account_id, code_hash, created_at) VALUES (?,?,?)");
        s.bind(1, account).bind(2, h).bind(3, now());
        s.run();
    }
}

bool SqliteSession::use_recovery_code(Id account, const std::string& hash, Instant at) {
    auto s = c_.prepare(
        "UPDATE recovery_codes SET used_at=? WHERE account_id=? AND code_hash=? AND used_at IS "
        "NULL");
    s.bind(1, at).bind(2, account).bind(3, hash);
    s.run();
    return c_.changes() == 1;
}

int SqliteSession::unused_recovery_codes(Id account) {
    auto s =
        c_.prepare("SELECT COUNT(*) FROM recovery_codes WHERE account_id=? AND used_at IS NULL");
    s.bind(1, account);
    s.step();
    int n = s.i32(0);
    s.run();
    return n;
}

SignInThrottle SqliteSession::sign_in_throttle(const std::string& subject) {
    auto s = c_.prepare(
        "SELECT failures, last_failure_at, blocked_until FROM sign_in_throttle WHERE subject=?");
    s.bind(1, subject);
    SignInThrottle t;
    if (s.step()) {
        t.failures = s.i32(0);
        t.last_failure_at = s.i64(1);
        t.blocked_until = s.i64(2);
        s.run();
    }
    return t;
}

void SqliteSession::set_sign_in_throttle(const std::string& subject, const SignInThrottle& t) {
    auto s = c_.prepare(
        "INSERT INTO sign_in_throttle (subject, failures, last_failure_at, blocked_until) "
        "VALUES (?,?,?,?) ON CONFLICT (subject) DO UPDATE SET failures=excluded.failures, "
        "last_failure_at=excluded.last_failure_at, blocked_until=excluded.blocked_until");
    s.bind(1, subject).bind(2, t.failures).bind(3, t.last_failure_at).bind(4, t.blocked_until);
    s.run();
}

void SqliteSession::clear_sign_in_throttle(const std::string& subject) {
    auto s = c_.prepare("DELETE FROM sign_in_throttle WHERE subject=?");
    s.bind(1, subject);
    s.run();
}

}  // namespace vg::store::sqlite
