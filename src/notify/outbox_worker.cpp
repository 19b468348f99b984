#include "notify/outbox_worker.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <random>

#include "app/secrets.hpp"
#include "core/phone.hpp"
#include "notify/sms.hpp"

namespace vg::notify {

using nlohmann::json;

namespace {
core::Instant wall_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}
}  // namespace

struct OutboxWorker::Impl {
    store::Store& db;
    const Composer& composer;
    const app::Sealer* sealer;
    SmtpSender smtp;
    SmsSender sms;
    WorkerOptions opt;
    std::mutex sms_mutex;
    std::map<std::string, std::vector<core::Instant>> sms_sent;  // per number, last day
    // When messages due soon were last moved into the due queue (first call: at once).
    std::atomic<core::Instant> promoted_at{std::numeric_limits<core::Instant>::min()};
    static constexpr core::Instant kPromoteEvery = 600;  // so a reminder is queued >= 1h50 ahead

    Impl(store::Store& d, const Composer& c, const app::Sealer* s, SmtpSettings smtp_settings,
         WorkerOptions o)
        : db(d), composer(c), sealer(s), smtp(std::move(smtp_settings)), opt(std::move(o)) {}

    std::optional<MessageData> load(const store::OutboxRow& row) {
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
            auto payload = json::parse(row.payload, nullptr, false);
            if (payload.is_object() && payload.contains("agent_id"))
                d.agent = s.agent(org->id, payload["agent_id"].get<core::Id>());
            if (payload.is_object() && payload.contains("token") && sealer)
                d.token = sealer->open(payload["token"].get<std::string>()).value_or("");
            out = std::move(d);
        });
        return out;
    }

    bool sms_allowed(const std::string& number, core::Instant now) {
        std::lock_guard lock(sms_mutex);
        auto& times = sms_sent[number];
        std::erase_if(times, [&](core::Instant t) { return t < now - 86400; });
        if (int(times.size()) >= opt.sms_per_number_per_day) return false;
        times.push_back(now);
        return true;
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

    // Takes the rows for one send (fresh lease from now); false when any of them was taken
    // over by another sender because its batch lease ran out: then nothing is sent.
    bool renew(std::vector<store::OutboxRow*> rows) {
        auto now = wall_now();
        bool ok = true;
        db.write([&](store::Session& s) {
            for (auto* r : rows) {
                auto lease = now + opt.lease_seconds;
                if (s.renew_lease(r->id, r->next_attempt_at, lease))
                    r->next_attempt_at = lease;
                else
                    ok = false;
            }
        });
        return ok;
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

    void citizen(store::OutboxRow& row, core::Instant now, WorkerStats& stats) {
        auto d = load(row);
        if (!d) return skip(row, "appointment not found", stats);
        auto& a = d->appointment;
        bool live = a.status == store::AppointmentStatus::booked ||
                    a.status == store::AppointmentStatus::confirmed;
        // A reminder or thank-you of an appointment that changed since is obsolete.
        if ((row.kind == "reminder" && !live) ||
            (row.kind == "thank_you" && a.status != store::AppointmentStatus::honoured &&
             a.status != store::AppointmentStatus::booked &&
             a.status != store::AppointmentStatus::confirmed))
            return skip(row, "obsolete", stats);
        auto payload = json::parse(row.payload, nullptr, false);
        if (payload.is_object() && payload.value("sequence", a.sequence) != a.sequence &&
            (row.kind == "reminder" || row.kind == "thank_you"))
            return skip(row, "obsolete", stats);
        if (row.channel == "email") {
            if (!smtp.enabled()) return failed(row, {false, false, "no SMTP server"}, now, stats);
            auto mail = composer.citizen_email(row, *d);
            mail.message_id = message_id_for(row.idempotency_key, opt.message_id_domain);
            mail.date = now;
            if (!is_safe_address(mail.to_address) || !is_safe_address(mail.from_address))
                return failed(row, {false, true, "unusable address"}, now, stats);
            if (!renew({&row})) return;  // another sender has it now
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
        if (!sms_allowed(*number, now)) return skip(row, "per-number limit", stats);
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
        if (!renew({&row})) return;
        auto r = sms.send(cfg, *number, composer.citizen_sms(row, *d),
                          message_id_for(row.idempotency_key, opt.message_id_domain));
        if (!r.ok) return failed(row, r, now, stats);
        sent({row.id}, now, stats);
    }

    // Agent notices: digest rows of one agent become one e-mail.
    void agents(std::vector<store::OutboxRow>& rows, core::Instant now, WorkerStats& stats) {
        std::map<core::Id, std::vector<std::pair<store::OutboxRow, MessageData>>> groups;
        for (auto& row : rows) {
            auto d = load(row);
            if (!d || !d->agent) {
                skip(row, "agent not found", stats);
                continue;
            }
            auto payload = json::parse(row.payload, nullptr, false);
            bool digest = payload.is_object() && payload.value("digest", false);
            // Immediate notices go alone: key them by row id, negative to keep apart.
            core::Id key = digest ? d->agent->id : -row.id;
            groups[key].emplace_back(row, std::move(*d));
        }
        for (auto& [key, items] : groups) {
            auto mail = composer.agent_email(items);
            mail.message_id = message_id_for(items.front().first.idempotency_key + ":group",
                                             opt.message_id_domain);
            mail.date = now;
            if (!smtp.enabled() || !is_safe_address(mail.to_address) ||
                !is_safe_address(mail.from_address)) {
                for (auto& [row, d] : items)
                    failed(row, {false, !smtp.enabled() ? false : true, "unusable address"}, now,
                           stats);
                continue;
            }
            std::vector<store::OutboxRow*> leased;
            for (auto& [row, d] : items) leased.push_back(&row);
            if (!renew(leased)) continue;
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
    }
};

OutboxWorker::OutboxWorker(store::Store& db, const Composer& composer, const app::Sealer* sealer,
                           SmtpSettings smtp, WorkerOptions options)
    : impl_(std::make_unique<Impl>(db, composer, sealer, std::move(smtp), std::move(options))) {}

OutboxWorker::~OutboxWorker() {
    stop();
}

int OutboxWorker::process_due(core::Instant now) {
    std::vector<store::OutboxRow> rows;
    impl_->db.write([&](store::Session& s) {
        auto last = impl_->promoted_at.load();
        if (last == std::numeric_limits<core::Instant>::min() || now < last ||
            now - last >= Impl::kPromoteEvery) {
            s.promote_deferred(now + store::kDeferAfter);
            impl_->promoted_at = now;
        }
        rows = s.claim_due(now, now + impl_->opt.lease_seconds, impl_->opt.batch);
    });
    std::vector<store::OutboxRow> agent_rows;
    for (auto& row : rows) {
        try {
            if (row.kind.rfind("agent_", 0) == 0)
                agent_rows.push_back(row);
            else
                impl_->citizen(row, now, stats_);
        } catch (const std::exception& e) {
            // The lease expires and the message is taken again later.
            spdlog::error("message {} failed unexpectedly: {}", row.id, e.what());
        }
    }
    if (!agent_rows.empty()) {
        try {
            impl_->agents(agent_rows, now, stats_);
        } catch (const std::exception& e) {
            spdlog::error("agent notices failed unexpectedly: {}", e.what());
        }
    }
    return int(rows.size());
}

void OutboxWorker::start() {
    for (int i = 0; i < std::max(1, impl_->opt.threads); ++i)
        threads_.emplace_back([this] { loop(); });
}

void OutboxWorker::stop() {
    stopping_ = true;
    cv_.notify_all();
    for (auto& t : threads_)
        if (t.joinable()) t.join();
    threads_.clear();
}

void OutboxWorker::wake() {
    cv_.notify_all();
}

void OutboxWorker::loop() {
    while (!stopping_) {
        int handled = 0;
        try {
            handled = process_due(wall_now());
        } catch (const std::exception& e) {
            spdlog::error("outbox: {}", e.what());
        }
        if (handled > 0) continue;  // more may be due
        std::unique_lock lock(mutex_);
        cv_.wait_for(lock, std::chrono::seconds(1));
    }
}

}  // namespace vg::notify
