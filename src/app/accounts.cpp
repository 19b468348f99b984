#include "app/accounts.hpp"

#include <sodium.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "app/passwords.hpp"
#include "app/tokens.hpp"
#include "core/encoding.hpp"
#include "core/totp.hpp"

namespace vg::app {

using core::Instant;

namespace {

std::string lower_ascii(std::string s) {
    for (auto& c : s)
        if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
    return s;
}

std::string email_subject(const std::string& email) {
    return "email:" + hash_token(lower_ascii(email));
}

std::string client_subject(const std::string& client) {
    return "ip:" + client;
}

std::string detail(const nlohmann::json& j) {
    return j.dump();
}

core::ThrottleState to_core(const store::SignInThrottle& t) {
    return {t.failures, t.last_failure_at, t.blocked_until};
}

store::SignInThrottle to_store(const core::ThrottleState& t) {
    return {t.failures, t.last_failure_at, t.blocked_until};
}

}  // namespace

// A plausible address (declared in accounts.hpp): one '@', something either side, a dot in the
// domain, no spaces.
bool plausible_email(const std::string& e) {
    auto at = e.find('@');
    if (e.size() > 254 || at == std::string::npos || at == 0 || e.find('@', at + 1) != e.npos)
        return false;
    auto domain = e.substr(at + 1);
    if (domain.size() < 3 || domain.find('.') == std::string::npos || domain.front() == '.' ||
        domain.back() == '.')
        return false;
    for (unsigned char c : e)
        if (c <= ' ' || c == 0x7f) return false;
    return true;
}

AccountService::AccountService(store::Store& db, const core::Clock& clock,
                               const store::Sealer* sealer, AccountSettings settings)
    : db_(db),
      clock_(clock),
      sealer_(sealer),
      settings_(settings),
      resets_by_client_(settings.reset_per_client_per_hour, 3600),
      resets_by_email_(settings.reset_per_email_per_day, 86400) {}

std::string AccountService::audit_actor(core::Id account) const {
    return "account:" + std::to_string(account);
}

store::Organisation AccountService::create_organisation(const std::string& slug,
                                                        const std::string& name,
                                                        const std::string& actor) {
    if (auto p = slug_problem(slug); !p.empty())
        throw AccountError("account_error.slug", "--slug '" + slug + "': " + p);
    if (name.empty() || name.size() > 200)
        throw AccountError("account_error.name", "--name must have 1 to 200 characters");
    store::Organisation o;
    o.slug = slug;
    o.name = name;
    db_.write([&](store::Session& s) {
        if (s.organisation_by_slug(slug))
            throw AccountError("account_error.slug_taken",
                               "an organisation '" + slug + "' exists already");
        o.id = s.insert_organisation(o);
        s.add_audit(
            {o.id, actor, "organisation.create", "organisation", o.id, detail({{"slug", slug}})});
    });
    return o;
}

store::Account AccountService::add_member(const std::string& org_slug, const std::string& email,
                                          const std::string& role, const std::string& display_name,
                                          const std::string& actor,
                                          std::optional<store::Id> partner_id) {
    if (!store::is_role(role))
        throw AccountError("account_error.role",
                           "--role must be agent, supervisor, admin or partner");
    if (!plausible_email(email))
        throw AccountError("account_error.email", "'" + email + "' is not an e-mail address");
    if (role == "partner" && !partner_id)
        throw AccountError("partners_admin.error_partner_missing",
                           "--role partner needs --partner ID (see `partner list`)");
    if (role != "partner" && partner_id)
        throw AccountError("partners_admin.error_partner_role",
                           "--partner is given only with --role partner");
    store::Account account;
    db_.write([&](store::Session& s) {
        auto org = s.organisation_by_slug(org_slug);
        if (!org) throw AccountError("account_error.no_org", "no organisation '" + org_slug + "'");
        if (partner_id && !s.partner(org->id, *partner_id))
            throw AccountError("partners_admin.error_partner_unknown",
                               "no partner " + std::to_string(*partner_id) + " in organisation '" +
                                   org_slug + "'");
        auto found = s.account_by_email(email);
        std::string name = display_name.empty() ? email.substr(0, email.find('@')) : display_name;
        if (found) {
            account = *found;
        } else {
            account.email = email;
            account.display_name = name;
            account.id = s.insert_account(account);
            s.add_audit({org->id, actor, "account.create", "account", account.id, "{}"});
        }
        store::Membership m;
        m.account_id = account.id;
        m.organisation_id = org->id;
        m.role = role;
        m.partner_id = partner_id;
        if (role == "agent") {
            // An agent of the agenda, unless this account is one there already.
            for (auto& held : s.memberships(account.id))
                if (held.organisation_id == org->id && held.agent_id) m.agent_id = held.agent_id;
            if (!m.agent_id) {
                store::Agent a;
                a.organisation_id = org->id;
                a.display_name = account.display_name.empty() ? name : account.display_name;
                a.email = account.email;
                m.agent_id = s.insert_agent(a);
            }
        }
        if (s.add_membership(m))
            s.add_audit({org->id, actor, "membership.add", "account", account.id,
                         partner_id
                             ? detail({{"role", role}, {"partner", std::to_string(*partner_id)}})
                             : detail({{"role", role}})});
    });
    return account;
}

std::vector<AccountService::Listed> AccountService::list(
    const std::optional<std::string>& org_slug) {
    std::vector<Listed> out;
    db_.read([&](store::Session& s) {
        std::optional<store::Id> org;
        if (org_slug) {
            auto o = s.organisation_by_slug(*org_slug);
            if (!o)
                throw AccountError("account_error.no_org", "no organisation '" + *org_slug + "'");
            org = o->id;
        }
        for (auto& a : s.accounts(org)) {
            Listed l{a, s.memberships(a.id)};
            if (org)
                std::erase_if(l.memberships, [&](const store::Membership& m) {
                    return m.organisation_id != *org;
                });
            out.push_back(std::move(l));
        }
    });
    return out;
}

core::PasswordVerdict AccountService::check_password(
    const store::Account& account, const std::vector<store::Membership>& memberships,
    const std::string& password) const {
    bool admin = account.platform_admin;
    std::vector<std::string> texts{account.email, account.display_name};
    for (auto& m : memberships) {
        if (m.role == "admin") admin = true;
        texts.push_back(m.organisation_name);
        texts.push_back(m.organisation_slug);
    }
    return core::check_password(password, admin, core::personal_words(texts));
}

core::PasswordVerdict AccountService::set_password(const std::string& email,
                                                   const std::string& password,
                                                   const std::string& actor) {
    std::optional<store::Account> account;
    std::vector<store::Membership> memberships;
    db_.read([&](store::Session& s) {
        account = s.account_by_email(email);
        if (account) memberships = s.memberships(account->id);
    });
    if (!account) throw AccountError("account_error.no_account", "no account '" + email + "'");
    auto verdict = check_password(*account, memberships, password);
    if (!verdict.ok) return verdict;
    auto hash = hash_password(password);
    db_.write([&](store::Session& s) {
        s.set_password_hash(account->id, hash);
        s.revoke_staff_sessions(account->id, clock_.now());
        s.add_audit({memberships.empty() ? 0 : memberships.front().organisation_id, actor,
                     "account.password", "account", account->id, "{}"});
    });
    return verdict;
}

void AccountService::set_disabled(const std::string& email, bool disabled,
                                  const std::string& actor) {
    bool found = false;
    db_.write([&](store::Session& s) {
        auto account = s.account_by_email(email);
        if (!account) return;
        found = true;
        auto now = clock_.now();
        auto memberships = s.memberships(account->id);
        s.set_account_disabled(account->id, disabled ? std::optional<Instant>(now) : std::nullopt);
        if (disabled) s.revoke_staff_sessions(account->id, now);
        s.add_audit({memberships.empty() ? 0 : memberships.front().organisation_id, actor,
                     disabled ? "account.disable" : "account.enable", "account", account->id,
                     "{}"});
    });
    if (!found) throw AccountError("account_error.no_account", "no account '" + email + "'");
}

bool AccountService::second_factor_required(const store::Account& a,
                                            const std::vector<store::Membership>& memberships) {
    if (a.platform_admin || a.totp_secret) return true;
    return std::any_of(memberships.begin(), memberships.end(), [](const store::Membership& m) {
        return m.role == "admin" || m.role == "supervisor";
    });
}

AccountService::SignIn AccountService::sign_in(const std::string& email,
                                               const std::string& password,
                                               const std::string& client,
                                               const std::string& previous_session_id) {
    Instant now = clock_.now();
    auto by_email = email_subject(email);
    auto by_client = client_subject(client);
    std::optional<store::Account> account;
    std::vector<store::Membership> memberships;
    store::SignInThrottle te, tc;
    db_.read([&](store::Session& s) {
        te = s.sign_in_throttle(by_email);
        tc = s.sign_in_throttle(by_client);
        account = s.account_by_email(email);
        if (account) memberships = s.memberships(account->id);
    });
    store::Id org = memberships.empty() ? 0 : memberships.front().organisation_id;
    store::Id account_id = account ? account->id : 0;
    SignIn out;
    // Refused unheard while a delay or a lock runs: no password is checked.
    if (core::is_blocked(to_core(te), now) || core::is_blocked(to_core(tc), now)) {
        out.outcome = Outcome::blocked;
        out.retry_at = std::max(te.blocked_until, tc.blocked_until);
        db_.write([&](store::Session& s) {
            s.add_audit({org, "anonymous", "signin.blocked", "account", account_id,
                         detail({{"until", out.retry_at}})});
        });
        return out;
    }
    bool ok = false;
    if (account && account->password_hash && !account->disabled_at)
        ok = verify_password(*account->password_hash, password);
    else
        verify_dummy(password);  // the same time whether the account exists or not
    if (!ok) {
        out.outcome = Outcome::refused;
        db_.write([&](store::Session& s) {
            // Read again inside the write: concurrent failures all count.
            auto se = core::record_failure(settings_.per_email,
                                           to_core(s.sign_in_throttle(by_email)), now);
            auto sc = core::record_failure(settings_.per_client,
                                           to_core(s.sign_in_throttle(by_client)), now);
            s.set_sign_in_throttle(by_email, to_store(se.state));
            s.set_sign_in_throttle(by_client, to_store(sc.state));
            s.add_audit({org, "anonymous", "signin.failure", "account", account_id,
                         detail({{"failures", se.state.failures}})});
            if (se.locked || sc.locked)
                s.add_audit({org, "anonymous", "signin.lock", "account", account_id,
                             detail({{"by", se.locked ? "email" : "client"},
                                     {"until",
                                      std::max(se.state.blocked_until, sc.state.blocked_until)}})});
        });
        return out;
    }
    std::optional<std::string> rehash;
    if (password_needs_rehash(*account->password_hash)) rehash = hash_password(password);
    store::StaffSession session;
    out.session_id = new_token();
    session.id_hash = hash_token(out.session_id);
    session.account_id = account->id;
    session.created_at = now;
    session.last_seen_at = now;
    session.expires_at = now + settings_.session_lifetime;
    std::vector<store::Id> orgs;
    for (auto& m : memberships)
        if (std::find(orgs.begin(), orgs.end(), m.organisation_id) == orgs.end())
            orgs.push_back(m.organisation_id);
    if (orgs.size() == 1) session.organisation_id = orgs.front();
    session.stage = account->totp_secret                            ? "totp"
                    : second_factor_required(*account, memberships) ? "enrol"
                                                                    : "full";
    out.stage = session.stage;
    out.outcome = Outcome::signed_in;
    db_.write([&](store::Session& s) {
        s.clear_sign_in_throttle(by_email);
        if (looks_like_token(previous_session_id))
            s.revoke_staff_session(hash_token(previous_session_id), now);
        s.insert_staff_session(session);
        if (rehash) s.set_password_hash(account->id, *rehash);
        s.add_audit({org, audit_actor(account->id), "signin.success", "account", account->id,
                     detail({{"stage", session.stage}})});
    });
    return out;
}

std::optional<store::Membership> AccountService::Current::membership() const {
    if (!session.organisation_id) return std::nullopt;
    for (auto& m : memberships)
        if (m.organisation_id == *session.organisation_id) return m;
    return std::nullopt;
}

std::vector<std::string> AccountService::Current::roles() const {
    std::vector<std::string> out;
    if (session.organisation_id)
        for (auto& m : memberships)
            if (m.organisation_id == *session.organisation_id) out.push_back(m.role);
    return out;
}

std::optional<AccountService::Current> AccountService::session(const std::string& session_id) {
    if (!looks_like_token(session_id)) return std::nullopt;
    Instant now = clock_.now();
    std::optional<Current> out;
    db_.read([&](store::Session& s) {
        auto x = s.staff_session(hash_token(session_id));
        if (!x || x->revoked_at || now >= x->expires_at ||
            now - x->last_seen_at > settings_.session_idle)
            return;
        auto a = s.account_by_id(x->account_id);
        if (!a || a->disabled_at) return;
        out = Current{*x, *a, s.memberships(a->id)};
    });
    if (!out) return out;
    // Activity is written at most every minute (or quarter of the idle timeout): a page
    // view is not a write.
    if (now - out->session.last_seen_at >=
        std::min<Instant>(60, std::max<Instant>(1, settings_.session_idle / 4))) {
        out->session.last_seen_at = now;
        db_.write([&](store::Session& s) { s.update_staff_session(out->session); });
    }
    return out;
}

void AccountService::sign_out(const std::string& session_id) {
    if (!looks_like_token(session_id)) return;
    auto current = session(session_id);
    db_.write([&](store::Session& s) {
        s.revoke_staff_session(hash_token(session_id), clock_.now());
        if (current)
            s.add_audit({current->session.organisation_id.value_or(0),
                         audit_actor(current->account.id), "signout", "account",
                         current->account.id, "{}"});
    });
}

int AccountService::sign_out_everywhere(const std::string& session_id) {
    auto current = session(session_id);
    if (!current) return 0;
    int n = 0;
    db_.write([&](store::Session& s) {
        n = s.revoke_staff_sessions(current->account.id, clock_.now());
        s.add_audit({current->session.organisation_id.value_or(0), audit_actor(current->account.id),
                     "signout.everywhere", "account", current->account.id,
                     detail({{"sessions", n}})});
    });
    return n;
}

bool AccountService::choose_organisation(const std::string& session_id, core::Id organisation_id) {
    auto current = session(session_id);
    if (!current) return false;
    bool member = std::any_of(
        current->memberships.begin(), current->memberships.end(),
        [&](const store::Membership& m) { return m.organisation_id == organisation_id; });
    if (!member) return false;
    current->session.organisation_id = organisation_id;
    db_.write([&](store::Session& s) { s.update_staff_session(current->session); });
    return true;
}

namespace {

constexpr int kRecoveryCodes = 10;

// "k7m2q-x9vbt": 50 random bits in base32, lower case, in two groups.
std::string new_recovery_code() {
    unsigned char buf[7];
    randombytes_buf(buf, sizeof buf);
    auto text = lower_ascii(core::base32_encode(std::string(reinterpret_cast<char*>(buf), 7)));
    return text.substr(0, 5) + "-" + text.substr(5, 5);
}

// What is hashed: lower case, without separators or spaces.
std::string normalise_recovery_code(const std::string& code) {
    std::string out;
    for (char c : lower_ascii(code))
        if (c != '-' && c != ' ') out += c;
    return out;
}

}  // namespace

std::optional<AccountService::Enrolment> AccountService::begin_enrolment(const Current& current,
                                                                         const std::string& issuer,
                                                                         const std::string& again) {
    if (!sealer_) return std::nullopt;
    std::string secret(core::kTotpSecretBytes, '\0');
    randombytes_buf(secret.data(), secret.size());
    auto prefix = std::to_string(current.account.id) + ":";
    if (auto plain = again.empty() ? std::nullopt : sealer_->open(again);
        plain && plain->rfind(prefix, 0) == 0)
        if (auto previous = core::base32_decode(plain->substr(prefix.size()))) secret = *previous;
    Enrolment e;
    e.secret_base32 = core::base32_encode(secret);
    e.otpauth_uri = core::otpauth_uri(issuer, current.account.email, secret);
    // Bound to the account: a sealed secret of another person's enrolment is refused.
    e.sealed = sealer_->seal(std::to_string(current.account.id) + ":" + e.secret_base32);
    return e;
}

std::vector<std::string> AccountService::confirm_enrolment(const std::string& session_id,
                                                           const std::string& sealed,
                                                           const std::string& code) {
    auto current = session(session_id);
    if (!current || !sealer_ || current->session.stage == "totp") return {};
    auto plain = sealer_->open(sealed);
    auto prefix = std::to_string(current->account.id) + ":";
    if (!plain || plain->rfind(prefix, 0) != 0) return {};
    auto secret = core::base32_decode(plain->substr(prefix.size()));
    if (!secret) return {};
    auto step = core::totp_match(*secret, code, clock_.now());
    if (!step) return {};
    std::vector<std::string> codes, hashes;
    for (int i = 0; i < kRecoveryCodes; ++i) {
        codes.push_back(new_recovery_code());
        hashes.push_back(hash_token(normalise_recovery_code(codes.back())));
    }
    auto stored = sealer_->seal(*secret);
    db_.write([&](store::Session& s) {
        s.set_totp_secret(current->account.id, stored);
        s.advance_totp_step(current->account.id, *step);
        s.set_recovery_codes(current->account.id, hashes);
        current->session.stage = "full";
        s.update_staff_session(current->session);
        s.add_audit({current->session.organisation_id.value_or(0), audit_actor(current->account.id),
                     "totp.enrol", "account", current->account.id, "{}"});
    });
    return codes;
}

AccountService::Outcome AccountService::second_factor(const std::string& session_id,
                                                      const std::string& code,
                                                      core::Instant* retry_at) {
    auto current = session(session_id);
    if (!current || current->session.stage != "totp" || !current->account.totp_secret || !sealer_)
        return Outcome::refused;
    Instant now = clock_.now();
    auto by_email = email_subject(current->account.email);
    store::SignInThrottle t;
    db_.read([&](store::Session& s) { t = s.sign_in_throttle(by_email); });
    store::Id org = current->session.organisation_id.value_or(0);
    auto actor = audit_actor(current->account.id);
    if (core::is_blocked(to_core(t), now)) {
        if (retry_at) *retry_at = t.blocked_until;
        db_.write([&](store::Session& s) {
            s.add_audit({org, actor, "signin.blocked", "account", current->account.id,
                         detail({{"until", t.blocked_until}, {"factor", "totp"}})});
        });
        return Outcome::blocked;
    }
    auto secret = sealer_->open(*current->account.totp_secret);
    std::optional<std::int64_t> step;
    if (secret) step = core::totp_match(*secret, code, now);
    bool ok = false;
    std::string how;
    db_.write([&](store::Session& s) {
        if (step && s.advance_totp_step(current->account.id, *step)) {
            ok = true;
            how = "totp";
        } else if (!step && code.size() > core::kTotpDigits &&
                   s.use_recovery_code(current->account.id,
                                       hash_token(normalise_recovery_code(code)), now)) {
            ok = true;
            how = "recovery_code";
        }
        if (ok) {
            s.clear_sign_in_throttle(by_email);
            current->session.stage = "full";
            current->session.last_seen_at = now;
            s.update_staff_session(current->session);
            s.add_audit({org, actor, "signin.second_factor", "account", current->account.id,
                         detail({{"with", how}})});
            return;
        }
        auto se =
            core::record_failure(settings_.per_email, to_core(s.sign_in_throttle(by_email)), now);
        s.set_sign_in_throttle(by_email, to_store(se.state));
        s.add_audit({org, actor, "signin.failure", "account", current->account.id,
                     detail({{"failures", se.state.failures}, {"factor", "totp"}})});
        if (se.locked)
            s.add_audit({org, actor, "signin.lock", "account", current->account.id,
                         detail({{"by", "email"}, {"until", se.state.blocked_until}})});
    });
    return ok ? Outcome::signed_in : Outcome::refused;
}

bool AccountService::send_link(const std::string& email, const std::string& purpose,
                               const std::string& actor, const std::string& lang) {
    if (!sealer_ || (purpose != "invitation" && purpose != "reset")) return false;
    Instant now = clock_.now();
    auto token = new_token();
    store::AccountToken t;
    t.token_hash = hash_token(token);
    t.purpose = purpose;
    t.created_at = now;
    t.expires_at = now + settings_.link_lifetime;
    bool queued = false;
    db_.write([&](store::Session& s) {
        auto account = s.account_by_email(email);
        if (!account || account->disabled_at) {
            // A journal line all the same: a commit reaches the disk whether the address has
            // an account or not, so the answer's time does not tell (no address is kept).
            s.add_audit(
                {0, actor, "account.link_refused", "account", 0, detail({{"purpose", purpose}})});
            return;
        }
        auto memberships = s.memberships(account->id);
        t.account_id = account->id;
        if (!memberships.empty()) t.organisation_id = memberships.front().organisation_id;
        s.insert_account_token(t);
        store::OutboxMessage m;
        m.organisation_id = t.organisation_id.value_or(0);
        m.idempotency_key = "account:" + purpose + ":" + t.token_hash;
        m.kind = "account_" + purpose;
        m.channel = "email";
        m.payload = detail({{"account_id", account->id},
                            {"token", sealer_->seal(token)},
                            {"lang", lang},
                            {"expires_at", t.expires_at}});
        m.due_at = now;
        s.enqueue(m);
        s.add_audit({m.organisation_id, actor, "account.link", "account", account->id,
                     detail({{"purpose", purpose}})});
        queued = true;
    });
    if (queued && queued_) queued_();
    return queued;
}

core::Instant AccountService::request_reset(const std::string& email, const std::string& client,
                                            const std::string& lang) {
    auto now = clock_.now();
    // The limiter remembers a hash of the address, never the address.
    auto key = hash_token("reset|" + core::ascii_lower(email));
    for (auto [limiter, k] :
         {std::pair{&resets_by_client_, client}, std::pair{&resets_by_email_, key}})
        if (!limiter->allow(k, now))
            return std::max<core::Instant>(1, limiter->retry_after(k, now));
    send_link(email, "reset", "anonymous", lang);
    return 0;
}

std::optional<store::Account> AccountService::link_account(const std::string& token,
                                                           const std::string& purpose) {
    if (!looks_like_token(token)) return std::nullopt;
    std::optional<store::Account> out;
    db_.read([&](store::Session& s) {
        auto t = s.account_token(hash_token(token), purpose, clock_.now());
        if (t) out = s.account_by_id(t->account_id);
        if (out && out->disabled_at) out.reset();
    });
    return out;
}

core::PasswordVerdict AccountService::redeem_link(const std::string& token,
                                                  const std::string& purpose,
                                                  const std::string& password) {
    core::PasswordVerdict invalid;
    invalid.reason = "link.invalid";
    auto account = link_account(token, purpose);
    if (!account) return invalid;
    std::vector<store::Membership> memberships;
    db_.read([&](store::Session& s) { memberships = s.memberships(account->id); });
    auto verdict = check_password(*account, memberships, password);
    if (!verdict.ok) return verdict;
    auto hash = hash_password(password);
    bool used = false;
    db_.write([&](store::Session& s) {
        // Used here, once: a second submission of the same link finds it used.
        auto t = s.take_account_token(hash_token(token), purpose, clock_.now());
        if (!t || t->account_id != account->id) return;
        s.set_password_hash(account->id, hash);
        s.revoke_staff_sessions(account->id, clock_.now());
        s.add_audit({t->organisation_id.value_or(0), audit_actor(account->id), "account.password",
                     "account", account->id, detail({{"with", purpose}})});
        used = true;
    });
    return used ? verdict : invalid;
}

}  // namespace vg::app
