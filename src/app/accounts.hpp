// Staff accounts: organisations and members (CLI now, administration pages later), password
// policy, sign-in with throttling, server-side sessions, TOTP second factor, invitation and
// reset links. The pages and the CLI call this; it calls core (policy, throttle, TOTP) and
// the store. docs/SECURITY.md explains the choices.
#pragma once

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/memberships.hpp"
#include "app/rate_limit.hpp"
#include "core/clock.hpp"
#include "core/password_policy.hpp"
#include "core/sign_in_throttle.hpp"
#include "store/secrets.hpp"
#include "store/store.hpp"

namespace vg::app {

// A refused administration request: key names the reason in the catalogues
// (account_error.*), what() says it in English for the CLI.
struct AccountError : std::runtime_error {
    std::string key;
    AccountError(std::string k, const std::string& english)
        : std::runtime_error(english), key(std::move(k)) {}
};

struct AccountSettings {
    core::Instant session_idle = 1800;       // --session-idle-timeout
    core::Instant session_lifetime = 43200;  // --session-lifetime (absolute)
    // Per e-mail address (known or not) and per client address (an office shares one).
    core::ThrottlePolicy per_email{3, 10, 900, 60, 86400};
    core::ThrottlePolicy per_client{20, 100, 900, 60, 86400};
    core::Instant link_lifetime = 1800;  // invitation and reset links
    // "Forgotten password" requests send mail: at most this many per client address an hour
    // and per e-mail address (known or not) a day.
    int reset_per_client_per_hour = 10;
    int reset_per_email_per_day = 3;
};

// A plausible e-mail address: one '@', something either side, a dot in the domain, no
// spaces or control characters, at most 254 bytes.
bool plausible_email(const std::string& e);

class AccountService {
  public:
    AccountService(store::Store& db, const core::Clock& clock, const store::Sealer* sealer,
                   AccountSettings settings = {});

    const AccountSettings& settings() const { return settings_; }

    // --- administration; actor goes to the audit journal ("cli", "account:12") --------
    store::Organisation create_organisation(const std::string& slug, const std::string& name,
                                            const std::string& actor);
    // Creates the account when the e-mail has none, then gives it the role in the
    // organisation (an agent role also makes it an agent of the agenda). Returns the account.
    // The partner role names its partner structure (partner_id, one of the organisation's);
    // any other role takes none (AccountError partners_admin.error_partner_*).
    store::Account add_member(const std::string& org_slug, const std::string& email,
                              const std::string& role, const std::string& display_name,
                              const std::string& actor,
                              std::optional<store::Id> partner_id = std::nullopt);
    struct Listed {
        store::Account account;
        std::vector<store::Membership> memberships;
    };
    // Every account, or those of one organisation (with their roles there only); by e-mail.
    std::vector<Listed> list(const std::optional<std::string>& org_slug);
    // The policy for this account (16 characters for administrators, its own words).
    core::PasswordVerdict check_password(const store::Account& account,
                                         const std::vector<store::Membership>& memberships,
                                         const std::string& password) const;
    // Applies the policy; when it passes, stores the hash and ends the account's sessions.
    core::PasswordVerdict set_password(const std::string& email, const std::string& password,
                                       const std::string& actor);

    // Disables the account (it can no longer sign in; its sessions end at once) or enables
    // it again. Throws AccountError when there is no such account.
    void set_disabled(const std::string& email, bool disabled, const std::string& actor);

    // --- sign-in ---------------------------------------------------------------------
    enum class Outcome { signed_in, refused, blocked };
    struct SignIn {
        Outcome outcome = Outcome::refused;
        core::Instant retry_at = 0;  // blocked: when to try again
        std::string session_id;      // signed_in: the new cookie value
        std::string stage;           // signed_in: totp | enrol | full
    };
    // Checks the password (the same work whether the account exists or not), counts
    // failures per e-mail and per client, and on success opens a new session (the previous
    // one, if any, is revoked: the id changes at sign-in).
    SignIn sign_in(const std::string& email, const std::string& password, const std::string& client,
                   const std::string& previous_session_id);

    struct Current {
        store::StaffSession session;
        store::Account account;
        std::vector<store::Membership> memberships;
        // The organisation chosen, when the session has one.
        std::optional<store::Membership> membership() const;
        std::vector<std::string> roles() const;  // in the chosen organisation
    };
    // The live session of a cookie value, at any stage; nullopt when unknown, revoked,
    // idle longer than session_idle or older than session_lifetime, or the account
    // disabled. Records the activity.
    std::optional<Current> session(const std::string& session_id);
    void sign_out(const std::string& session_id);
    // Ends every session of the session's account; returns how many.
    int sign_out_everywhere(const std::string& session_id);
    // False when the account holds no role in that organisation.
    bool choose_organisation(const std::string& session_id, core::Id organisation_id);

    // --- second factor (TOTP, RFC 6238) -------------------------------------------------
    struct Enrolment {
        std::string secret_base32;  // shown as text beside the QR code
        std::string otpauth_uri;    // the QR code's content
        std::string sealed;         // the secret sealed for this account (hidden form field)
    };
    // A new secret for the session's account; nothing stored until confirmed. Needs the
    // secret key (serve); nullopt when the session is not live.
    // `again`: the sealed secret of an enrolment under way (a wrong code was typed), shown
    // again instead of a new one when it is this account's.
    std::optional<Enrolment> begin_enrolment(const Current& current, const std::string& issuer,
                                             const std::string& again = "");
    // Stores the secret when the code matches it now, ends the enrolment stage and returns
    // the ten recovery codes (shown once; only their hashes are kept). Empty: wrong code.
    std::vector<std::string> confirm_enrolment(const std::string& session_id,
                                               const std::string& sealed, const std::string& code);
    // Stage "totp": a current code (never one already used) or an unused recovery code
    // completes the sign-in. Failures count like wrong passwords.
    Outcome second_factor(const std::string& session_id, const std::string& code,
                          core::Instant* retry_at = nullptr);

    // --- invitation and password reset links -------------------------------------------
    // A single-use link (purpose "invitation" or "reset") valid settings().link_lifetime,
    // e-mailed through the outbox: the token is sealed in the message and erased once sent;
    // the database keeps its hash. False when the address has no account (the caller
    // answers the same either way) or no secret key is available.
    bool send_link(const std::string& email, const std::string& purpose, const std::string& actor,
                   const std::string& lang = "fr");
    // "Forgotten password" from the sign-in page: send_link(email, "reset") within the
    // limits per client (its address's network key) and per e-mail address, counted whether
    // the address has an account or not. 0 when sent or nothing to send (the same answer);
    // over a limit, the seconds until the client may try again (nothing done).
    core::Instant request_reset(const std::string& email, const std::string& client,
                                const std::string& lang);
    // The account a live link opens (nothing used yet); nullopt when the link is unknown,
    // used or expired.
    std::optional<store::Account> link_account(const std::string& token,
                                               const std::string& purpose);
    // Applies the policy; when it passes, uses the link (once), sets the password and ends
    // the account's sessions. reason "link.invalid" when the link is no longer valid.
    core::PasswordVerdict redeem_link(const std::string& token, const std::string& purpose,
                                      const std::string& password);
    // Called after a link's message is queued (serve: wakes the outbox worker).
    void on_messages_queued(std::function<void()> f) { queued_ = std::move(f); }

    // True when the account must use a second factor (administrators and supervisors
    // anywhere, platform administrators) or chose to (a secret is set).
    static bool second_factor_required(const store::Account& a,
                                       const std::vector<store::Membership>& memberships);

  private:
    std::string audit_actor(core::Id account) const;
    store::Store& db_;
    const core::Clock& clock_;
    const store::Sealer* sealer_;
    AccountSettings settings_;
    std::function<void()> queued_;
    RateLimiter resets_by_client_;
    RateLimiter resets_by_email_;
};

}  // namespace vg::app
