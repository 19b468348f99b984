#include "notify/outbox_worker.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <random>

#include "core/phone.hpp"
#include "notify/sms.hpp"
#include "store/secrets.hpp"

namespace vg::notify {

using nlohmann::json;

namespace {

// A message that can never be sent as it is (its payload, its sealed link): retrying does
// not help, it is dead at once with this error.
struct Unsendable : std::runtime_error {
    using std::runtime_error::runtime_error;
};

}  // namespace

struct OutboxWorker::Impl {
    store::Store& db;
    const Composer& composer;
    const store::Sealer* sealer;
    SmtpSender smtp;
    SmsSender sms;
    WorkerOptions opt;
    const core::Clock& clock;
    // When messages due soon were last moved into the due queue (first call: at once).
    std::atomic<core::Instant> promoted_at{std::numeric_limits<core::Instant>::min()};
    static constexpr core::Instant kPromoteEvery = 600;  // so a reminder is queued >= 1h50 ahead
    // When the next queued message is due, as last read (max: none).
    std::atomic<core::Instant> next_due{std::numeric_limits<core::Instant>::max()};

    Impl(store::Store& d, const Composer& c, const store::Sealer* s, SmtpSettings smtp_settings,
         WorkerOptions o)
        : db(d),
          composer(c),
          sealer(s),
          smtp(std::move(smtp_settings)),
          opt(std::move(o)),
          clock(opt.clock ? *opt.clock : core::system_clock()) {}

    // The payload, which every message must have as a JSON object.
    static json payload_of(const store::OutboxRow& row) {
        auto payload = json::parse(row.payload, nullptr, false);
        if (!payload.is_object()) throw Unsendable("invalid payload (not a JSON object)");
        return payload;
    }

    std::optional<MessageData> load(const store::OutboxRow& row, const json& payload) {
        if (!row.appointment_id) return std::nullopt;
        std::optional<MessageData> out;
        db.read([&](store::Session& s) {
            auto a = s.appointment_by_id(row.organisation_id, *row.appointment_id);
            auto org = s.organisation_by_id(row.organisation_id);
            if (!a || !org) return;
            MessageData d;
            d.org = *org;
            d.appointment = *a;
            for (auto& m : s.motifs(org->id))
                if (m.id == a->motif_id) d.motif = m;
            for (auto& site : s.sites(org->id))
                if (site.id == a->site_id) d.site = site;
            d.texts = s.message_texts(org->id);  // the administrator's own texts
            if (row.kind == "links") {
                if (!payload.contains("appointments") || !payload["appointments"].is_array())
                    throw Unsendable("invalid payload (appointments)");
                for (auto& id : payload["appointments"]) {
                    if (!id.is_number_integer()) throw Unsendable("invalid payload (appointments)");
                    LinkedAppointment l;
                    if (auto b = s.appointment_by_id(org->id, id.get<core::Id>()))
                        l.appointment = *b;
                    d.links.push_back(std::move(l));  // id 0: gone, dropped below
                }
                for (auto& l : d.links) {
                    for (auto& m : s.motifs(org->id))
                        if (m.id == l.appointment.motif_id) l.motif = m;
                    for (auto& site : s.sites(org->id))
                        if (site.id == l.appointment.site_id) l.site = site;
                }
            }
            if (payload.contains("agent_id")) {
                if (!payload["agent_id"].is_number_integer())
                    throw Unsendable("invalid payload (agent_id)");
                d.agent = s.agent(org->id, payload["agent_id"].get<core::Id>());
            }
            out = std::move(d);
        });
        // A message written with a sealed link goes with it or not at all: without its link a
        // confirmation or reminder is useless, and sending it would hide the problem.
        if (out && payload.contains("token")) {
            if (!payload["token"].is_string()) throw Unsendable("invalid payload (token)");
            if (!sealer) throw Unsendable("sealed link but no secret key to open it");
            auto token = sealer->open(payload["token"].get<std::string>());
            if (!token)
                throw Unsendable(
                    "the sealed link cannot be opened: the secret key is not the one it was "
                    "sealed with");
            out->token = *token;
        }
        if (out && row.kind == "links") links(*out);
        return out;
    }

    // A "links" message: each appointment gets its token (sealed together, in the order of
    // the payload's appointments); those no longer live or already over are left out.
    void links(MessageData& d) {
        if (d.token.empty()) throw Unsendable("links message without its links");
        std::vector<std::string> tokens;
        std::size_t start = 0;
        while (start <= d.token.size()) {
            auto end = std::min(d.token.find(' ', start), d.token.size());
            tokens.push_back(d.token.substr(start, end - start));
            start = end + 1;
        }
        if (tokens.size() != d.links.size()) throw Unsendable("invalid payload (links)");
        auto now = clock.now();
        for (std::size_t i = 0; i < tokens.size(); ++i) d.links[i].token = tokens[i];
        std::erase_if(d.links, [&](const LinkedAppointment& l) {
            auto& a = l.appointment;
            bool live = a.status == store::AppointmentStatus::booked ||
                        a.status == store::AppointmentStatus::confirmed;
            return a.id == 0 || !live || a.ends_at <= now;
        });
        d.token.clear();
        // The recipient is the first one still live (the contact asked is in each of them).
        if (!d.links.empty()) d.appointment = d.links.front().appointment;
    }

    core::Instant backoff(int attempts) {
        core::Instant d = opt.first_retry;
        for (int i = 1; i < attempts && d < opt.max_retry; ++i) d *= 2;
        d = std::min(d, opt.max_retry);
        thread_local std::mt19937 rng(std::random_device{}());
        return d + std::uniform_int_distribution<core::Instant>(0, d / 10)(rng);
    }

    void failed(const store::OutboxRow& row, const SendResult& r, core::Instant now,
                WorkerStats& stats) {
        int attempts = row.attempts + 1;
        bool too_old = now - row.due_at > opt.give_up_after;
        db.write([&](store::Session& s) {
            // The SMS was not sent: it does not count against the number's daily cap.
            if (row.channel == "sms") s.release_sms(row.id);
            if (r.permanent || too_old) {
                s.mark_dead(row.id, attempts, r.error);
                stats.dead++;
            } else {
                s.mark_retry(row.id, attempts, now + backoff(attempts), r.error);
                stats.retried++;
            }
        });
        spdlog::warn("message {} ({} {}) attempt {} failed: {}", row.id, row.kind, row.channel,
                     attempts, r.error);
    }

    // What went wrong with a message, thrown from anywhere while handling it: one attempt
    // (dead at once when it can never be sent). Never throws.
    void failed_unexpectedly(const store::OutboxRow& row, const std::exception& e,
                             core::Instant now, WorkerStats& stats) {
        bool permanent = dynamic_cast<const Unsendable*>(&e) != nullptr ||
                         dynamic_cast<const json::exception*>(&e) != nullptr;
        try {
            failed(row, {false, permanent, e.what()}, now, stats);
        } catch (const std::exception& again) {
            // The database itself fails: the lease ends and the message is taken again.
            spdlog::error("message {} failed ({}) and could not be recorded: {}", row.id, e.what(),
                          again.what());
        }
    }

    enum class Renewal { ok, lost, capped };

    // Takes the rows for one send (fresh lease from now); lost when any of them was taken
    // over by another sender because its batch lease ran out: then nothing is sent. For an
    // SMS, also takes its place under the number's daily cap (capped: the message is dead,
    // with the reason, and nothing is sent).
    Renewal renew(std::vector<store::OutboxRow*> rows, const std::string& sms_to = "",
                  int sms_segments = 0) {
        auto now = clock.now();
        Renewal result = Renewal::ok;
        db.write([&](store::Session& s) {
            for (auto* r : rows) {
                auto lease = now + opt.lease_seconds;
                if (s.renew_lease(r->id, r->next_attempt_at, lease))
                    r->next_attempt_at = lease;
                else
                    result = Renewal::lost;
            }
            if (result == Renewal::ok && !sms_to.empty() &&
                !s.reserve_sms(rows.front()->id, sms_to, now, opt.sms_per_number_per_day)) {
                s.mark_dead(rows.front()->id, rows.front()->attempts,
                            "per-number SMS limit: " + std::to_string(opt.sms_per_number_per_day) +
                                " SMS sent to this number in the last 24 hours");
                result = Renewal::capped;
            }
            // The cost of the SMS (statistics): its segments, as the gateway will bill them.
            if (result == Renewal::ok && !sms_to.empty())
                s.set_sms_segments(rows.front()->id, sms_segments);
        });
        return result;
    }

    void skip(const store::OutboxRow& row, const std::string& why, WorkerStats& stats) {
        db.write([&](store::Session& s) { s.mark_skipped(row.id, why); });
        stats.skipped++;
    }

    void sent(const std::vector<core::Id>& ids, core::Instant now, WorkerStats& stats) {
        db.write([&](store::Session& s) {
            for (auto id : ids) s.mark_sent(id, now);
        });
        stats.sent += long(ids.size());
    }

    // A thank-you goes after an appointment recorded as held. Until the outcome is recorded
    // it waits (record_outcome releases it at once); with no outcome in time it is not sent.
    void wait_for_outcome(const store::OutboxRow& row, const store::Appointment& a,
                          core::Instant now, WorkerStats& stats) {
        auto limit = a.ends_at + opt.thank_you_waits_for_outcome;
        if (now >= limit) return skip(row, "no outcome recorded", stats);
        db.write([&](store::Session& s) {
            // Read again under the write lock: an outcome recorded meanwhile is not missed.
            auto fresh = s.appointment_by_id(row.organisation_id, a.id);
            bool held = fresh && fresh->status == store::AppointmentStatus::honoured;
            s.mark_retry(row.id, row.attempts, held ? now : limit,
                         held ? "" : "waiting for the outcome");
        });
    }

    void citizen(store::OutboxRow& row, core::Instant now, WorkerStats& stats) {
        auto payload = payload_of(row);
        auto d = load(row, payload);
        if (!d) return skip(row, "appointment not found", stats);
        if (row.kind == "links" && d->links.empty()) return skip(row, "obsolete", stats);
        auto& a = d->appointment;
        bool live = a.status == store::AppointmentStatus::booked ||
                    a.status == store::AppointmentStatus::confirmed;
        // A reminder or thank-you of an appointment that changed since is obsolete.
        if (row.kind == "reminder" && !live) return skip(row, "obsolete", stats);
        if ((row.kind == "reminder" || row.kind == "thank_you") &&
            payload.value("sequence", a.sequence) != a.sequence)
            return skip(row, "obsolete", stats);
        if (row.kind == "thank_you" && a.status != store::AppointmentStatus::honoured)
            return live ? wait_for_outcome(row, a, now, stats) : skip(row, "obsolete", stats);
        if (row.channel == "email") {
            if (!smtp.enabled()) return failed(row, {false, false, "no SMTP server"}, now, stats);
            auto mail = composer.citizen_email(row, *d);
            mail.message_id = composer.identity().message_id(row.idempotency_key);
            mail.date = now;
            if (!is_safe_address(mail.to_address) || !is_safe_address(mail.from_address))
                return failed(row, {false, true, "unusable address"}, now, stats);
            if (renew({&row}) != Renewal::ok) return;  // another sender has it now
            auto r = smtp.send(mail.from_address, mail.to_address, build_message(mail));
            if (!r.ok) return failed(row, r, now, stats);
            return sent({row.id}, now, stats);
        }
        // SMS
        if (d->org.sms_gateway.empty()) return skip(row, "no SMS gateway configured", stats);
        auto number =
            core::normalise_e164(a.citizen.phone, core::phone_region(d->org.holiday_region));
        if (!number || !core::is_mobile(*number)) return skip(row, "not a mobile number", stats);
        bool opted_out = false;
        db.read(
            [&](store::Session& s) { opted_out = s.sms_opted_out(a.organisation_id, *number); });
        if (opted_out) return skip(row, "opted out", stats);
        SmsGatewayConfig cfg;
        try {
            cfg = parse_sms_gateway(d->org.sms_gateway);
        } catch (const std::exception& e) {
            return failed(row, {false, true, std::string("gateway settings: ") + e.what()}, now,
                          stats);
        }
        // Like SMTP: a request never outlives its lease.
        cfg.timeout_seconds =
            std::max<long>(1, std::min<long>(cfg.timeout_seconds, long(opt.lease_seconds) - 1));
        auto text = composer.citizen_sms(row, *d);
        switch (renew({&row}, *number, core::sms_length(text).segments)) {
            case Renewal::lost:
                return;
            case Renewal::capped:
                stats.dead++;
                spdlog::warn("message {} ({} sms) held back by the per-number limit: dead", row.id,
                             row.kind);
                return;
            case Renewal::ok:
                break;
        }
        auto r = sms.send(cfg, *number, text, composer.identity().message_id(row.idempotency_key));
        if (!r.ok) return failed(row, r, now, stats);
        sent({row.id}, now, stats);
    }

    // A staff account's link (invitation, reset): the sealed token opened here, never logged.
    void account(store::OutboxRow& row, core::Instant now, WorkerStats& stats) {
        auto payload = payload_of(row);
        std::optional<store::Account> acc;
        std::optional<store::Organisation> org;
        db.read([&](store::Session& s) {
            acc = s.account_by_id(payload.value("account_id", core::Id(0)));
            if (row.organisation_id) org = s.organisation_by_id(row.organisation_id);
        });
        if (!acc) return skip(row, "account not found", stats);
        if (now >= payload.value("expires_at", core::Instant(0)))
            return skip(row, "link expired before it could be sent", stats);
        std::optional<std::string> token;
        if (sealer) token = sealer->open(payload.value("token", std::string()));
        if (!token) return failed(row, {false, true, "the link cannot be unsealed"}, now, stats);
        if (!smtp.enabled()) return failed(row, {false, false, "no SMTP server"}, now, stats);
        send_mail(row,
                  composer.account_email(row, *acc, org ? &*org : nullptr, *token,
                                         payload.value("lang", std::string("fr"))),
                  now, stats);
    }

    // A staff member's own e-mail (account link, statistics digest, room-rules alert): one row, one
    // e-mail.
    void send_mail(store::OutboxRow& row, Mail mail, core::Instant now, WorkerStats& stats) {
        mail.message_id = composer.identity().message_id(row.idempotency_key);
        mail.date = now;
        if (!is_safe_address(mail.to_address) || !is_safe_address(mail.from_address))
            return failed(row, {false, true, "unusable address"}, now, stats);
        if (renew({&row}) != Renewal::ok) return;
        auto r = smtp.send(mail.from_address, mail.to_address, build_message(mail));
        if (!r.ok) return failed(row, r, now, stats);
        sent({row.id}, now, stats);
    }

    // Room rules (issue 13): a supervisor's alert about a citizen waiting for a late
    // advisor; obsolete once the appointment is no longer live.
    void staff(store::OutboxRow& row, core::Instant now, WorkerStats& stats) {
        auto payload = payload_of(row);
        auto d = load(row, payload);
        if (!d) return skip(row, "appointment not found", stats);
        auto& a = d->appointment;
        if (a.status != store::AppointmentStatus::booked &&
            a.status != store::AppointmentStatus::confirmed)
            return skip(row, "obsolete", stats);
        std::optional<store::Account> acc;
        db.read([&](store::Session& s) {
            acc = s.account_by_id(payload.value("account_id", core::Id(0)));
        });
        if (!acc || acc->disabled_at) return skip(row, "account not found", stats);
        if (!smtp.enabled()) return failed(row, {false, false, "no SMTP server"}, now, stats);
        auto lang = acc->language.value_or("fr");
        send_mail(row, composer.staff_alert_email(*acc, *d, lang), now, stats);
    }

    // The statistics' monthly digest to an administrator (app::StatsDigest wrote its
    // figures): not sent to an account disabled or no longer administrator since.
    void digest(store::OutboxRow& row, core::Instant now, WorkerStats& stats) {
        auto payload = payload_of(row);
        std::optional<store::Account> acc;
        std::optional<store::Organisation> org;
        bool admin = false;
        db.read([&](store::Session& s) {
            acc = s.account_by_id(payload.value("account_id", core::Id(0)));
            org = s.organisation_by_id(row.organisation_id);
            if (acc)
                for (auto& m : s.memberships(acc->id))
                    admin =
                        admin || (m.organisation_id == row.organisation_id && m.role == "admin");
        });
        if (!acc || !org || acc->disabled_at || !admin)
            return skip(row, "no longer an administrator", stats);
        if (!smtp.enabled()) return failed(row, {false, false, "no SMTP server"}, now, stats);
        send_mail(row, composer.digest_email(*acc, *org, payload), now, stats);
    }

    // partner-admin: a convention's notice reminder (app::ConventionReminders); not sent once
    // the convention has ended meanwhile.
    void partner_notice(store::OutboxRow& row, core::Instant now, WorkerStats& stats) {
        auto payload = payload_of(row);
        std::optional<store::Organisation> org;
        std::optional<store::Convention> convention;
        db.read([&](store::Session& s) {
            org = s.organisation_by_id(row.organisation_id);
            convention =
                s.convention(row.organisation_id, payload.value("convention_id", core::Id(0)));
        });
        if (!org || !convention || convention->ended_on)
            return skip(row, "convention ended", stats);
        if (!smtp.enabled()) return failed(row, {false, false, "no SMTP server"}, now, stats);
        send_mail(row, composer.partner_notice_email(*org, payload), now, stats);
    }

    // partner-screens: a period's report is overdue (app::ReportOverdue); not sent once the
    // convention has ended or the report has been submitted meanwhile.
    void partner_overdue(store::OutboxRow& row, core::Instant now, WorkerStats& stats) {
        auto payload = payload_of(row);
        std::optional<store::Organisation> org;
        std::optional<store::Convention> convention;
        bool submitted = false;
        db.read([&](store::Session& s) {
            org = s.organisation_by_id(row.organisation_id);
            convention =
                s.convention(row.organisation_id, payload.value("convention_id", core::Id(0)));
            submitted =
                s.partner_report(row.organisation_id, payload.value("partner_id", core::Id(0)),
                                 payload.value("period", std::string()))
                    .has_value();
        });
        if (!org || !convention || convention->ended_on)
            return skip(row, "convention ended", stats);
        if (submitted) return skip(row, "report submitted", stats);
        if (!smtp.enabled()) return failed(row, {false, false, "no SMTP server"}, now, stats);
        send_mail(row, composer.partner_notice_email(*org, payload), now, stats);
    }

    // partner-hours: a site fell below the convention's minimum (app::PartnerHours); and
    // partner-booking: the helper's copy of a booking (app::PartnerBookings). The payload
    // holds the texts, address and link, laid out like the notice reminder.
    void partner_hours(store::OutboxRow& row, core::Instant now, WorkerStats& stats) {
        auto payload = payload_of(row);
        std::optional<store::Organisation> org;
        db.read([&](store::Session& s) { org = s.organisation_by_id(row.organisation_id); });
        if (!org) return skip(row, "organisation gone", stats);
        if (!smtp.enabled()) return failed(row, {false, false, "no SMTP server"}, now, stats);
        send_mail(row, composer.partner_notice_email(*org, payload), now, stats);
    }

    // Agent notices: digest rows of one agent become one e-mail.
    void agents(std::vector<store::OutboxRow>& rows, core::Instant now, WorkerStats& stats) {
        std::map<core::Id, std::vector<std::pair<store::OutboxRow, MessageData>>> groups;
        for (auto& row : rows) {
            try {
                auto payload = payload_of(row);
                auto d = load(row, payload);
                if (!d || !d->agent) {
                    skip(row, "agent not found", stats);
                    continue;
                }
                bool digest = payload.value("digest", false);
                // Immediate notices go alone: key them by row id, negative to keep apart.
                core::Id key = digest ? d->agent->id : -row.id;
                groups[key].emplace_back(row, std::move(*d));
            } catch (const std::exception& e) {
                failed_unexpectedly(row, e, now, stats);
            }
        }
        for (auto& [key, items] : groups) {
            try {
                send_agent_group(items, now, stats);
            } catch (const std::exception& e) {
                for (auto& [row, d] : items) failed_unexpectedly(row, e, now, stats);
            }
        }
    }

    void send_agent_group(std::vector<std::pair<store::OutboxRow, MessageData>>& items,
                          core::Instant now, WorkerStats& stats) {
        auto mail = composer.agent_email(items);
        mail.message_id =
            composer.identity().message_id(items.front().first.idempotency_key + ":group");
        mail.date = now;
        if (!smtp.enabled() || !is_safe_address(mail.to_address) ||
            !is_safe_address(mail.from_address)) {
            for (auto& [row, d] : items)
                failed(
                    row,
                    {false, smtp.enabled(), smtp.enabled() ? "unusable address" : "no SMTP server"},
                    now, stats);
            return;
        }
        std::vector<store::OutboxRow*> leased;
        for (auto& [row, d] : items) leased.push_back(&row);
        if (renew(leased) != Renewal::ok) return;
        auto r = smtp.send(mail.from_address, mail.to_address, build_message(mail));
        std::vector<core::Id> ids;
        for (auto& [row, d] : items) {
            if (r.ok)
                ids.push_back(row.id);
            else
                failed(row, r, now, stats);
        }
        if (!ids.empty()) sent(ids, now, stats);
    }
};

OutboxWorker::OutboxWorker(store::Store& db, const Composer& composer, const store::Sealer* sealer,
                           SmtpSettings smtp, WorkerOptions options)
    : impl_(std::make_unique<Impl>(db, composer, sealer, std::move(smtp), std::move(options))) {}

OutboxWorker::~OutboxWorker() {
    stop();
}

int OutboxWorker::process_due(core::Instant now) {
    auto last = impl_->promoted_at.load();
    bool promote = last == std::numeric_limits<core::Instant>::min() || now < last ||
                   now - last >= Impl::kPromoteEvery;
    // Look before writing: an idle sender only reads.
    bool due = false;
    impl_->db.read([&](store::Session& s) {
        if (promote && !s.deferred_due(now + store::kDeferAfter)) {
            impl_->promoted_at = now;  // nothing to promote: as if done
            promote = false;
        }
        auto next = s.next_due();
        impl_->next_due = next.value_or(std::numeric_limits<core::Instant>::max());
        due = next && *next <= now;
    });
    if (!promote && !due) return 0;
    std::vector<store::OutboxRow> rows;
    impl_->db.write([&](store::Session& s) {
        if (promote) {
            s.promote_deferred(now + store::kDeferAfter);
            impl_->promoted_at = now;
        }
        rows = s.claim_due(now, now + impl_->opt.lease_seconds, impl_->opt.batch);
    });
    if (promote) impl_->next_due = std::numeric_limits<core::Instant>::min();  // look again
    std::vector<store::OutboxRow> agent_rows;
    for (auto& row : rows) {
        if (row.kind.rfind("agent_", 0) == 0) {
            agent_rows.push_back(row);
            continue;
        }
        try {
            if (row.kind.rfind("account_", 0) == 0)
                impl_->account(row, now, stats_);
            else if (row.kind.rfind("staff_", 0) == 0)  // room rules: supervisors' alerts
                impl_->staff(row, now, stats_);
            else if (row.kind == "stats_digest")
                impl_->digest(row, now, stats_);
            else if (row.kind == "partner_notice")
                impl_->partner_notice(row, now, stats_);
            else if (row.kind == "partner_overdue")
                impl_->partner_overdue(row, now, stats_);
            else if (row.kind == "partner_hours" || row.kind == "partner_booking")
                impl_->partner_hours(row, now, stats_);
            else
                impl_->citizen(row, now, stats_);
        } catch (const std::exception& e) {
            spdlog::error("message {} failed unexpectedly: {}", row.id, e.what());
            impl_->failed_unexpectedly(row, e, now, stats_);
        }
    }
    if (!agent_rows.empty()) impl_->agents(agent_rows, now, stats_);
    return int(rows.size());
}

void OutboxWorker::start() {
    for (int i = 0; i < std::max(1, impl_->opt.threads); ++i)
        threads_.emplace_back([this] { loop(); });
}

void OutboxWorker::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    cv_.notify_all();
    for (auto& t : threads_)
        if (t.joinable()) t.join();
    threads_.clear();
}

void OutboxWorker::wake() {
    {
        std::lock_guard lock(mutex_);
        ++wakes_;
    }
    cv_.notify_all();
}

void OutboxWorker::loop() {
    std::uint64_t seen = 0;
    {
        std::lock_guard lock(mutex_);
        seen = wakes_;
    }
    while (!stopping_) {
        int handled = 0;
        try {
            handled = process_due(impl_->clock.now());
        } catch (const std::exception& e) {
            spdlog::error("outbox: {}", e.what());
        }
        stats_.passes++;
        if (handled > 0) continue;  // more may be due
        // Asleep until woken, until the next message is due, or until the poll.
        auto wait = impl_->opt.idle_poll;
        auto now = impl_->clock.now();
        auto next = std::min<core::Instant>(impl_->next_due.load(),
                                            impl_->promoted_at.load() + Impl::kPromoteEvery);
        if (next <= now)
            wait = std::chrono::milliseconds(0);
        else if (next - now < std::chrono::duration_cast<std::chrono::seconds>(wait).count())
            wait = std::chrono::seconds(next - now);
        std::unique_lock lock(mutex_);
        cv_.wait_for(lock, wait, [&] { return stopping_ || wakes_ != seen; });
        seen = wakes_;
    }
}

}  // namespace vg::notify
