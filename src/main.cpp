// visioguichet: one binary, subcommands serve / migrate / demo.
#include <curl/curl.h>
#include <date/tz.h>
#include <malloc.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <thread>

#include "api/api.hpp"
#include "app/accounts.hpp"
#include "app/administration.hpp"
#include "app/api_keys.hpp"
#include "app/context.hpp"
#include "app/convention_reminders.hpp"
#include "app/demo.hpp"
#include "app/first_slot_sampler.hpp"
#include "app/operations.hpp"
#include "app/org_import.hpp"
#include "app/partner_caf.hpp"
#include "app/partners_admin.hpp"
#include "app/report_overdue.hpp"
#include "app/room_documents.hpp"
#include "app/room_rules.hpp"
#include "app/room_service.hpp"
#include "app/stats_digest.hpp"
#include "app/tokens.hpp"
#include "core/backup_retention.hpp"
#include "core/clock.hpp"
#include "core/timefmt.hpp"
#include "http/address.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "notify/composer.hpp"
#include "notify/outbox_worker.hpp"
#include "ops/log.hpp"
#include "ops/metrics.hpp"
#include "store/backup.hpp"
#include "store/document_vault.hpp"
#include "store/secrets.hpp"
#include "text/i18n.hpp"
#include "text/templates.hpp"
#include "video/hub.hpp"
#include "web/console_admin.hpp"
#include "web/pages.hpp"
#include "web/room_documents.hpp"

namespace fs = std::filesystem;
using namespace vg;

namespace {

struct Options {
    std::string db = "var/visioguichet.db";
    std::string listen = "127.0.0.1:8080";
    std::string assets = VG_SOURCE_DIR;
    std::string public_url;
    // Handlers block on the database: the threads bound the requests served at once, and so
    // the size of a group commit (see SqliteStore::write).
    int threads = 64;
    int booking_rate_limit = 20;
    std::size_t body_limit = 64 * 1024;
    long long max_connections = 4096;
    int idle_timeout = 10;
    int request_timeout = 10;
    std::string trusted_proxies;
    bool durable = true;
    std::string log_level = "info";
    std::string file;
    std::string org;
    std::string smtp_url;
    std::string smtp_starttls = "try";
    bool smtp_insecure = false;
    std::string secret_key_file;
    int outbox_threads = 4;
    int outbox_lease = 120;
    int outbox_first_retry = 30;
    int outbox_poll = 30;
    std::string status = "dead";
    long long message_id = 0;
    std::string slug;
    std::string name;
    std::string email;
    bool revoke = false;  // user platform-admin --revoke
    std::string role;
    long long partner_id = 0;    // user add --partner (partner-admin)
    bool partner_given = false;  // ... when given
    std::string town;            // partner create --town
    int session_idle_timeout = 1800;
    int session_lifetime = 43200;
    int sign_in_lock_after = 10;
    int sign_in_lock_seconds = 900;
    // The video room's ICE servers (docs/VIDEO.md).
    std::string turn_urls;
    std::string turn_secret_file;
    std::string documents_dir;  // the room's documents (default: <db>.documents beside it)
    std::string ice_transport_policy = "all";
    // Operations (docs/OPERATIONS.md): backup, restore.
    std::string backup_to;
    std::string restore_from;
    std::string backup_method = "vacuum";
    int keep_daily = 0;
    int keep_weekly = 0;
    std::string log_format = "text";
    std::string metrics_listen;
    std::string metrics_token_file;
    long long ready_outbox_max_age = 1800;
    double ready_min_free_disk = 2;
    // The video room's rules (automatic no-show, late agent): seconds between runs.
    int room_rules_interval = 30;
};

// Staff sessions and sign-in throttling, from the serve options.
app::AccountSettings account_settings(const Options& o) {
    app::AccountSettings a;
    a.session_idle = o.session_idle_timeout;
    a.session_lifetime = o.session_lifetime;
    a.per_email.lock_after = o.sign_in_lock_after;
    a.per_email.lock_seconds = o.sign_in_lock_seconds;
    // A client address may be a whole office behind one router: ten times the allowance.
    a.per_client.lock_after = 10 * o.sign_in_lock_after;
    a.per_client.free_failures = 2 * o.sign_in_lock_after;
    a.per_client.lock_seconds = o.sign_in_lock_seconds;
    return a;
}

// The account commands (org create, user add|list|password). The password is read from
// standard input (never from the command line, which other users may see).
int account_command(store::Store& db, const Options& o, const std::string& which,
                    const store::Sealer* sealer) {
    app::AccountService accounts(db, core::system_clock(), sealer, {});
    if (which == "user invite") {
        if (!accounts.send_link(o.email, "invitation", "cli")) {
            std::cerr << "visioguichet: no account '" << o.email << "' (nothing written)"
                      << std::endl;
            return 2;
        }
        std::cout << "invitation queued for " << o.email
                  << " (a single-use link valid 30 minutes, sent by the server's outbox)"
                  << std::endl;
        return 0;
    }
    if (which == "user platform-admin") {
        app::BookingService booking(db);
        app::Administration administration(booking, &accounts);
        if (!administration.set_platform_admin(o.email, !o.revoke, "cli")) {
            std::cerr << "visioguichet: '" << o.email << "' is not an e-mail address" << std::endl;
            return 2;
        }
        std::cout << o.email << (o.revoke ? " is no longer" : " is") << " a platform administrator"
                  << std::endl;
        return 0;
    }
    if (which == "org create") {
        auto org = accounts.create_organisation(o.slug, o.name, "cli");
        std::cout << "organisation " << org.slug << " created (id " << org.id << ")" << std::endl;
        return 0;
    }
    if (which == "user add") {
        std::optional<store::Id> partner;
        if (o.partner_given) partner = store::Id(o.partner_id);
        auto a = accounts.add_member(o.org, o.email, o.role, o.name, "cli", partner);
        std::cout << a.email << " is " << o.role << " of " << o.org
                  << (a.password_hash ? "" : " (no password yet: `user password`)") << std::endl;
        return 0;
    }
    if (which == "user list") {
        std::optional<std::string> org;
        if (!o.org.empty()) org = o.org;
        // One account a line: e-mail, then its roles and organisation (tab-separated; one
        // roles-organisation pair per organisation).
        for (auto& l : accounts.list(org)) {
            std::cout << l.account.email;
            if (l.account.platform_admin) std::cout << "\tplatform-admin\t*";
            for (std::size_t i = 0; i < l.memberships.size();) {
                std::string roles;
                auto org_slug = l.memberships[i].organisation_slug;
                for (; i < l.memberships.size() && l.memberships[i].organisation_slug == org_slug;
                     ++i)
                    roles += (roles.empty() ? "" : ",") + l.memberships[i].role;
                std::cout << "\t" << roles << "\t" << org_slug;
            }
            std::cout << std::endl;
        }
        return 0;
    }
    if (which == "user disable" || which == "user enable") {
        bool disable = which == "user disable";
        accounts.set_disabled(o.email, disable, "cli");
        std::cout << o.email
                  << (disable ? " disabled: it can no longer sign in; its sessions were ended"
                              : " enabled: it can sign in again")
                  << std::endl;
        return 0;
    }
    // user password
    std::string password((std::istreambuf_iterator<char>(std::cin)),
                         std::istreambuf_iterator<char>());
    if (password.ends_with('\n')) password.pop_back();
    if (password.ends_with('\r')) password.pop_back();
    auto verdict = accounts.set_password(o.email, password, "cli");
    if (!verdict.ok) {
        text::I18n i18n;
        i18n.load(std::string(VG_SOURCE_DIR) + "/locales");
        std::cerr << "visioguichet: password refused: " << i18n.t("en", verdict.reason)
                  << std::endl;
        return 2;
    }
    std::cout << "password set for " << o.email << "; their sessions were ended" << std::endl;
    return 0;
}

// partner create | list (docs/PARTNERS.md): through app::PartnerAdmin, as the pages.
int partner_command(store::Store& db, const Options& o, bool create) {
    std::optional<store::Organisation> org;
    db.read([&](store::Session& s) { org = s.organisation_by_slug(o.org); });
    if (!org) {
        std::cerr << "visioguichet: no organisation '" << o.org << "'" << std::endl;
        return 2;
    }
    app::BookingService booking(db);
    app::PartnerAdmin partners(booking, nullptr);
    if (create) {
        auto r = partners.save_partner(org->id, std::nullopt, {{"name", o.name}, {"town", o.town}},
                                       "cli");
        if (!r.ok()) {
            text::I18n i18n;
            i18n.load(std::string(VG_SOURCE_DIR) + "/locales");
            for (auto& [field, key] : r.errors)
                std::cerr << "visioguichet: --" << field << ": " << i18n.t("en", key)
                          << " (nothing written)" << std::endl;
            return 2;
        }
        std::cout << r.id << std::endl;
        return 0;
    }
    for (auto& v : partners.partners(org->id))
        std::cout << v.partner.id << "\t" << v.partner.name << "\t" << v.partner.town << "\t"
                  << v.label << "\t" << (v.term ? core::format_ymd(v.term->last_day) : "-")
                  << std::endl;
    return 0;
}

// The key that seals tokens in queued messages lives beside the database, not inside it.
std::string secret_key_path(const Options& o) {
    if (!o.secret_key_file.empty()) return o.secret_key_file;
    auto dir = fs::path(o.db).parent_path();
    return (dir.empty() ? fs::path("secret.key") : dir / "secret.key").string();
}

// The room's documents (docs/VIDEO.md, "Documents"): a folder beside the database, never
// under the served assets. Backed up with the database (docs/OPERATIONS.md).
std::string documents_dir(const Options& o) {
    return o.documents_dir.empty() ? o.db + ".documents" : o.documents_dir;
}

std::string read_file(const std::string& path) {
    std::ifstream f(path);
    if (!f) throw std::runtime_error("cannot read " + path);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

// Clear, single-line errors for bad settings: serve refuses to start.
struct SettingError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

std::pair<std::string, unsigned short> parse_listen(const std::string& s,
                                                    const std::string& option = "--listen") {
    auto colon = s.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == s.size())
        throw SettingError(option + " must be HOST:PORT, got '" + s + "'");
    auto host = s.substr(0, colon);
    auto port_text = s.substr(colon + 1);
    if (port_text.find_first_not_of("0123456789") != std::string::npos || port_text.size() > 5)
        throw SettingError(option + " port must be a number 0-65535, got '" + port_text + "'");
    int port = std::stoi(port_text);
    if (port > 65535) throw SettingError(option + " port must be 0-65535, got " + port_text);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    return {host, static_cast<unsigned short>(port)};
}

// Only this machine reaches a loopback address: there, links may name the listen address.
bool is_loopback(const std::string& host) {
    return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

void check_db_path(const std::string& db) {
    auto dir = fs::path(db).parent_path();
    if (!dir.empty() && !fs::is_directory(dir))
        throw SettingError("--db: folder '" + dir.string() + "' does not exist");
}

std::unique_ptr<store::Store> open_store(const Options& o) {
    check_db_path(o.db);
    return store::open_sqlite_store({o.db, o.durable, 10000});
}

core::Instant now() {
    return core::system_clock().now();
}

// The key that sealed the links of queued messages must be the one this database knows (its
// id is recorded at the first start): a missing or replaced key file would send every queued
// reminder without its link.
store::Sealer open_secret_key(store::Store& db, const std::string& path) {
    std::optional<std::string> recorded;
    db.read([&](store::Session& s) { recorded = s.installation_value("secret_key_id"); });
    std::error_code ec;
    if (recorded && !fs::exists(fs::symlink_status(path, ec)))
        throw SettingError("the secret key file " + path +
                           " is missing: the links in this database's queued messages were "
                           "sealed with key " +
                           *recorded + "; restore that file (or point --secret-key-file to it)");
    auto sealer = store::Sealer::from_file(path);
    std::string stored;
    db.write([&](store::Session& s) {
        stored = s.remember_installation_value("secret_key_id", sealer.key_id());
    });
    if (stored != sealer.key_id())
        throw SettingError("the secret key file " + path + " (key " + sealer.key_id() +
                           ") is not the one this database's queued messages were sealed with "
                           "(key " +
                           stored + "); restore the original file");
    return sealer;
}

// The room's ICE servers from --turn-urls, --turn-secret-file, --ice-transport-policy.
video::IceConfig ice_config(const Options& o) {
    video::IceConfig ice;
    std::stringstream list(o.turn_urls);
    std::string url;
    while (std::getline(list, url, ',')) {
        while (!url.empty() && url.front() == ' ') url.erase(url.begin());
        while (!url.empty() && url.back() == ' ') url.pop_back();
        if (url.empty()) continue;
        if (url.rfind("turn:", 0) != 0 && url.rfind("turns:", 0) != 0 && url.rfind("stun:", 0) != 0)
            throw SettingError("--turn-urls: '" + url + "' must start with turn:, turns: or stun:");
        ice.turn_urls.push_back(url);
    }
    if (!o.turn_secret_file.empty()) {
        std::ifstream in(o.turn_secret_file, std::ios::binary);
        if (!in) throw SettingError("--turn-secret-file: cannot read " + o.turn_secret_file);
        std::getline(in, ice.turn_secret);
        while (!ice.turn_secret.empty() &&
               (ice.turn_secret.back() == '\r' || ice.turn_secret.back() == ' '))
            ice.turn_secret.pop_back();
        if (ice.turn_secret.empty())
            throw SettingError("--turn-secret-file: " + o.turn_secret_file + " is empty");
        if (ice.turn_urls.empty()) throw SettingError("--turn-secret-file needs --turn-urls");
    }
    if (o.ice_transport_policy != "all" && o.ice_transport_policy != "relay")
        throw SettingError("--ice-transport-policy must be all or relay");
    if (o.ice_transport_policy == "relay" && ice.turn_urls.empty())
        throw SettingError("--ice-transport-policy relay needs --turn-urls");
    ice.transport_policy = o.ice_transport_policy;
    return ice;
}

// --- operations: backup and restore (docs/OPERATIONS.md) ---------------------------------

std::string megabytes(std::uint64_t bytes) {
    return fmt::format("{:.1f} MB", double(bytes) / 1e6);
}

// The key file's id, without creating it (Sealer::from_file would); nullopt when absent.
std::optional<std::string> key_id_of(const std::string& path) {
    std::error_code ec;
    if (!fs::exists(path, ec)) return std::nullopt;
    return store::Sealer(read_file(path)).key_id();
}

int backup_command(const Options& o) {
    // The server comes first: the copy and its compression take what CPU and disk it leaves.
    setpriority(PRIO_PROCESS, 0, 10);
    syscall(SYS_ioprio_set, 1 /* IOPRIO_WHO_PROCESS */, 0, (2 << 13) | 7 /* best effort, 7 */);
    core::BackupRetention policy{o.keep_daily, o.keep_weekly};
    auto start = std::chrono::steady_clock::now();
    auto taken_at = now();
    std::string file = o.backup_to;
    bool folder = fs::is_directory(o.backup_to);
    if (folder)
        file = (fs::path(o.backup_to) / core::backup_file_name(taken_at)).string();
    else if (policy.prunes())
        throw SettingError("--keep-daily and --keep-weekly need --to to be a folder");
    else if (fs::exists(file))
        throw SettingError("--to: " + file + " exists (a backup is never overwritten)");
    auto method =
        o.backup_method == "vacuum" ? store::BackupMethod::vacuum : store::BackupMethod::online;
    auto info = store::backup_database(o.db, file, method, taken_at);
    auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cout << "backup of " << o.db << " written to " << file << ": "
              << megabytes(info.file_bytes) << " (database " << megabytes(info.database_bytes)
              << ", schema version " << info.schema_version << ") in "
              << fmt::format("{:.1f}", seconds) << " s" << std::endl;
    std::cout << "installation " << info.installation_id << "; secret key "
              << (info.secret_key_id.empty() ? "none yet" : info.secret_key_id)
              << " (not in the backup: keep a copy of the key file elsewhere)" << std::endl;
    if (!policy.prunes()) return 0;
    std::vector<fs::path> files;
    std::vector<core::Instant> taken;
    for (auto& e : fs::directory_iterator(o.backup_to))
        if (auto t = core::parse_backup_file_name(e.path().filename().string());
            t && e.is_regular_file()) {
            files.push_back(e.path());
            taken.push_back(*t);
        }
    auto keep = core::backups_to_keep(taken, policy);
    int removed = 0;
    for (std::size_t i = 0; i < files.size(); ++i)
        if (!keep[i]) {
            fs::remove(files[i]);
            std::cout << "removed " << files[i].filename().string() << std::endl;
            ++removed;
        }
    std::cout << "retention: " << files.size() - std::size_t(removed) << " kept, " << removed
              << " removed (newest of the last " << o.keep_daily << " days and " << o.keep_weekly
              << " weeks)" << std::endl;
    return 0;
}

int restore_command(const Options& o) {
    auto r = store::restore_database(o.restore_from, o.db, now());
    auto& info = r.info;
    std::cout << "restored " << o.restore_from << " to " << o.db << ": schema version "
              << info.schema_version << ", integrity check ok, installation "
              << info.installation_id << std::endl;
    if (!r.replaced.empty())
        std::cout << "the database that was there is kept as " << r.replaced << std::endl;
    if (info.secret_key_id.empty()) return 0;
    auto key_path = secret_key_path(o);
    auto present = key_id_of(key_path);
    if (present == info.secret_key_id) {
        std::cout << "secret key " << key_path << " is the one its queued links were sealed with"
                  << std::endl;
    } else {
        std::cout << "now put the secret key " << info.secret_key_id
                  << " (its key file, backed up separately) at " << key_path
                  << (present ? " (the file there is key " + *present + ")" : "")
                  << ": the server refuses to start without it" << std::endl;
    }
    return 0;
}

// GET /metrics on its own listener (--metrics-listen), never on the public one; with
// --metrics-token-file, only for `Authorization: Bearer <the file's first line>`.
std::unique_ptr<http::Server> metrics_listener(const Options& o) {
    if (o.metrics_listen.empty()) return nullptr;
    auto [host, port] = parse_listen(o.metrics_listen, "--metrics-listen");
    std::string token;
    if (!o.metrics_token_file.empty()) {
        token = read_file(o.metrics_token_file);
        token = token.substr(0, token.find_first_of("\r\n"));
        if (token.size() < 16)
            throw SettingError("--metrics-token-file: the token must be at least 16 characters");
    } else if (!is_loopback(host)) {
        spdlog::warn(
            "/metrics on {} without --metrics-token-file: anyone who reaches that "
            "address reads it",
            o.metrics_listen);
    }
    auto router = std::make_shared<http::Router>();
    router->get("/metrics", [token](http::Request& r) {
        if (!token.empty()) {
            auto h = r.headers.find("authorization");
            if (h == r.headers.end() || !app::same_secret(h->second, "Bearer " + token))
                return http::Response::text(401, "token required\n")
                    .header("WWW-Authenticate", "Bearer");
        }
        auto out = http::Response::text(200, ops::metrics().render());
        out.content_type = "text/plain; version=0.0.4; charset=utf-8";
        return out;
    });
    http::ServerOptions so;
    so.host = host;
    so.port = port;
    so.threads = 1;
    so.max_connections = 64;
    so.reserved_files = 0;
    so.access_log = false;
    so.count_requests = false;
    auto server = std::make_unique<http::Server>(
        so, [router](http::Request& r) { return router->dispatch(r); });
    server->listen();
    spdlog::info("metrics on http://{}:{}/metrics", host, server->port());
    return server;
}

int serve(const Options& o) {
    auto [host, port] = parse_listen(o.listen);
    if (o.threads < 1 || o.threads > 256) throw SettingError("--threads must be 1-256");
    if (o.booking_rate_limit < 0) throw SettingError("--booking-rate-limit must be >= 0");
    if (o.body_limit < 1024 || o.body_limit > 16 * 1024 * 1024)
        throw SettingError("--body-limit must be between 1024 and 16777216 bytes");
    if (o.max_connections < 1 || o.max_connections > 1000000)
        throw SettingError("--max-connections must be 1-1000000");
    if (o.idle_timeout < 1 || o.idle_timeout > 3600)
        throw SettingError("--idle-timeout must be 1-3600 seconds");
    if (o.request_timeout < 1 || o.request_timeout > 3600)
        throw SettingError("--request-timeout must be 1-3600 seconds");
    http::TrustedProxies trusted;
    try {
        trusted = http::TrustedProxies::parse(o.trusted_proxies);
    } catch (const std::invalid_argument& e) {
        throw SettingError(std::string("--trusted-proxies: ") + e.what());
    }
    if (!o.public_url.empty() && o.public_url.rfind("http://", 0) != 0 &&
        o.public_url.rfind("https://", 0) != 0)
        throw SettingError("--public-url must start with http:// or https://");
    if (o.public_url.empty() && !is_loopback(host))
        throw SettingError("--public-url is required when listening on " + host +
                           " (links in messages and calendar files are built from it)");
    for (auto sub : {"templates", "locales", "static"})
        if (!fs::is_directory(fs::path(o.assets) / sub))
            throw SettingError("--assets: '" + o.assets + "' has no " + sub + "/ folder");

    auto ice = ice_config(o);

    auto db = open_store(o);
    int v = db->migrate();
    spdlog::info("database {} at schema version {}", o.db, v);

    text::I18n i18n;
    i18n.load(o.assets + "/locales");
    text::Templates templates;
    templates.load(o.assets + "/templates");
    if (o.smtp_starttls != "off" && o.smtp_starttls != "try" && o.smtp_starttls != "required")
        throw SettingError("--smtp-starttls must be off, try or required");
    if (!o.smtp_url.empty() && o.smtp_url.rfind("smtp://", 0) != 0 &&
        o.smtp_url.rfind("smtps://", 0) != 0)
        throw SettingError("--smtp-url must start with smtp:// or smtps://");
    if (o.outbox_threads < 0 || o.outbox_threads > 32)
        throw SettingError("--outbox-threads must be 0-32");
    auto sealer = open_secret_key(*db, secret_key_path(o));
    const core::Clock& clock = core::system_clock();  // the one clock of the process
    std::string link_base = o.public_url;
    while (link_base.ends_with('/')) link_base.pop_back();
    if (link_base.empty())
        link_base = "http://" + (host.find(':') != std::string::npos ? "[" + host + "]" : host) +
                    ":" + std::to_string(port);
    std::string installation_id;
    db->read([&](store::Session& s) {
        installation_id = s.installation_value("installation_id").value_or("");
    });
    notify::Identity identity{installation_id, notify::host_of(link_base)};
    app::BookingService booking(*db, {}, &sealer, clock);
    app::RateLimiter limiter(o.booking_rate_limit, 3600, 100000, http::network_key);
    app::Settings settings{
        o.public_url, o.assets, o.booking_rate_limit, link_base, identity.installation_id,
        identity.host};
    app::AccountService accounts(*db, clock, &sealer, account_settings(o));
    app::Context ctx{booking, limiter, i18n, templates, settings, &accounts};
    app::RoomService rooms(*db, clock);
    ctx.rooms = &rooms;
    // --- the room's documents (docs/VIDEO.md, "Documents") ---
    auto docs_dir = fs::weakly_canonical(documents_dir(o));
    auto assets_dir = fs::weakly_canonical(o.assets);
    if (docs_dir.string().rfind(assets_dir.string() + "/", 0) == 0 || docs_dir == assets_dir)
        throw SettingError("--documents-dir must not be inside --assets (" + o.assets +
                           "): documents are never served as files");
    store::DocumentVault vault(docs_dir.string(), sealer);
    app::RoomDocuments documents(*db, vault, rooms);
    ctx.documents = &documents;
    ctx.settings.turn_urls = ice.turn_urls;  // the device test checks the relay
    // The video room's signalling (docs/VIDEO.md): WebSocket upgrades of /ws/room.
    video::HubOptions hub_options;
    hub_options.ice = ice;
    hub_options.public_url = o.public_url;
    hub_options.staff_cookie = settings.staff_cookie();
    auto hub = std::make_shared<video::Hub>(rooms, booking, &accounts, i18n, hub_options);
    rooms.on_revoked([weak = std::weak_ptr<video::Hub>(hub)](core::Id appointment, core::Id id) {
        if (auto h = weak.lock()) h->invitation_revoked(appointment, id);
    });
    documents.on_added([hub](const store::RoomDocument& d, const std::string& from) {
        hub->document_added(d.appointment_id,
                            {{"id", d.id},
                             {"name", d.name},
                             {"size", d.size},
                             {"from", from},
                             {"url", "/console/appointments/" + std::to_string(d.appointment_id) +
                                         "/documents/" + std::to_string(d.id)}});
    });

    http::Router router;
    router.get("/healthz", [](http::Request&) { return http::Response::text(200, "ok\n"); });
    app::Operations operations(*db, clock, {o.db, o.ready_outbox_max_age, o.ready_min_free_disk});
    router.get("/readyz", [&](http::Request&) {
        auto why = operations.not_ready();
        return why ? http::Response::text(503, *why + "\n") : http::Response::text(200, "ready\n");
    });
    ops::metrics().add_collector([&operations](ops::Writer& w) { operations.collect(w); });
    ops::metrics().add_collector([hub](ops::Writer& w) {
        w.family("visioguichet_room_participants", "Room participants connected (after hello)",
                 "gauge");
        w.sample("visioguichet_room_participants", double(hub->participants()));
        w.family("visioguichet_rooms_active", "Rooms with a participant connected", "gauge");
        w.sample("visioguichet_rooms_active", double(hub->rooms()));
    });
    api::register_routes(router, ctx);
    web::register_routes(router, ctx);

    notify::Composer composer(i18n, templates, ctx.settings.link_base, identity);
    // One SMTP exchange never outlives its lease: otherwise another thread could send the
    // same message while this one is still talking to a slow server.
    long smtp_timeout = std::max(1L, std::min(30L, long(o.outbox_lease) - 1));
    notify::SmtpSettings smtp{o.smtp_url, o.smtp_starttls, std::min(5L, smtp_timeout), smtp_timeout,
                              !o.smtp_insecure};
    notify::WorkerOptions wo;
    wo.threads = o.outbox_threads;
    wo.lease_seconds = o.outbox_lease;
    wo.first_retry = o.outbox_first_retry;
    wo.idle_poll = std::chrono::seconds(o.outbox_poll);
    wo.clock = &clock;
    notify::OutboxWorker worker(*db, composer, &sealer, smtp, wo);
    // A booking, reschedule or cancellation of this process: its messages go at once.
    booking.on_messages_queued([&worker] { worker.wake(); });
    accounts.on_messages_queued([&worker] { worker.wake(); });
    if (o.smtp_url.empty())
        spdlog::warn("no --smtp-url: e-mails stay queued in the outbox until one is configured");
    if (o.outbox_threads > 0) worker.start();
    // Retention of personal data (docs/ADMINISTRATION.md): at start, then every day.
    app::Administration administration(booking, &accounts);
    app::RetentionJob retention(administration, [&documents] {
        if (int n = documents.delete_due(); n > 0)
            spdlog::info("retention: {} room documents deleted", n);
    });
    retention.start();
    // The video room's rules (docs/VIDEO.md): the automatic no-show of citizens who never
    // joined, and the late advisor; every --room-rules-interval seconds.
    app::PeriodicJob room_rules(
        "room rules", std::chrono::seconds(o.room_rules_interval), [&booking, hub] {
            int n = booking.record_automatic_no_shows(
                [&hub](core::Id id) { return hub->citizen_present(id); });
            if (n > 0) spdlog::info("room rules: {} video appointments recorded no-show", n);
            hub->check_late();
        });
    room_rules.start();
    // The statistics' monthly digest to administrators (docs/STATISTICS.md): checked before
    // the server listens (so a restart has queued what is due when it answers), then hourly.
    app::StatsDigest digest(*db, i18n, clock);
    digest.on_messages_queued([&worker] { worker.wake(); });
    try {
        digest.queue_due();
    } catch (const std::exception& e) {
        spdlog::error("monthly digest run failed: {}", e.what());
    }
    app::PeriodicJob digest_job(
        "monthly digest", std::chrono::hours(1), [&digest] { digest.queue_due(); }, false);
    digest_job.start();
    // The statistics' time to the first free slot, sampled once a day per organisation, motif
    // and channel (docs/STATISTICS.md): checked at start and hourly, recorded once a day.
    app::FirstSlotSampler first_slots(booking);
    app::PeriodicJob first_slot_job("first slot samples", std::chrono::hours(1),
                                    [&first_slots] { first_slots.sample_due(); });
    first_slot_job.start();
    // The partners' convention notice reminders (docs/PARTNERS.md): checked before the server
    // listens, then daily (the window lasts two weeks).
    app::ConventionReminders notices(*db, i18n, clock, link_base);
    notices.on_messages_queued([&worker] { worker.wake(); });
    try {
        notices.queue_due();
    } catch (const std::exception& e) {
        spdlog::error("convention notice run failed: {}", e.what());
    }
    app::PeriodicJob notice_job(
        "convention notices", std::chrono::hours(24), [&notices] { notices.queue_due(); }, false);
    notice_job.start();
    // partner-screens: a period's report overdue, e-mailed once to both sides
    // (docs/PARTNERS.md, "Overdue reports"): checked before the server listens, then daily.
    app::ReportOverdue overdue(*db, i18n, clock, link_base);
    overdue.on_messages_queued([&worker] { worker.wake(); });
    try {
        overdue.queue_due();
    } catch (const std::exception& e) {
        spdlog::error("overdue report run failed: {}", e.what());
    }
    app::PeriodicJob overdue_job(
        "overdue reports", std::chrono::hours(24), [&overdue] { overdue.queue_due(); }, false);
    overdue_job.start();
    // partner-caf: a convention under notice ends once its last term is over (docs/PARTNERS.md,
    // "The end of a partnership"): checked at start, then daily.
    app::PartnerCaf partner_ends(booking, i18n, link_base);
    app::PeriodicJob partner_end_job("partner notice ends", std::chrono::hours(24),
                                     [&partner_ends] { partner_ends.end_noticed(); });
    partner_end_job.start();

    http::ServerOptions so;
    so.host = host;
    so.port = port;
    so.threads = o.threads;
    so.body_limit = o.body_limit;
    so.body_limit_for = [limit = o.body_limit](const std::string& method,
                                               const std::string& target) {
        return web::room_document_body_limit(method, target,
                                             web::admin_body_limit(method, target, limit));
    };
    so.too_large = [&ctx](http::Request& r) { return web::body_too_large(ctx, r); };
    so.max_connections = std::size_t(o.max_connections);
    so.idle_timeout_seconds = o.idle_timeout;
    so.request_timeout_seconds = o.request_timeout;
    // Two descriptors per database connection (file and WAL; one per request thread at
    // most), one per sending thread, and some for logs and libraries.
    so.reserved_files = std::size_t(2 * o.threads + 2 * o.outbox_threads + 32);
    so.trusted_proxies = std::move(trusted);
    so.default_headers = web::security_headers(o.public_url.rfind("https://", 0) == 0);
    so.websocket = [hub](http::Request& r) { return hub->accept(r); };
    http::Server server(so, [&](http::Request& r) { return router.dispatch(r); });
    server.listen();
    auto metrics_server = metrics_listener(o);
    std::thread metrics_thread;
    if (metrics_server) metrics_thread = std::thread([&] { metrics_server->run(); });
    // The one line scripts wait for.
    std::cout << "Visioguichet listening on http://"
              << (host.find(':') != std::string::npos ? "[" + host + "]" : host) << ":"
              << server.port() << "/" << std::endl;
    server.run();
    if (metrics_server) {
        metrics_server->stop();
        metrics_thread.join();
    }
    room_rules.stop();
    retention.stop();
    digest_job.stop();
    notice_job.stop();
    overdue_job.stop();
    worker.stop();
    spdlog::info("stopped cleanly");
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    // glibc gives each of the many request threads its own malloc arena, and each keeps what
    // it once held (slot answers weigh ~800 KB): measured 298 MB RSS after the booking
    // benchmark with the default, 77 MB with two arenas, same throughput.
    mallopt(M_ARENA_MAX, 2);
    Options o;
    CLI::App cli{"Visioguichet: appointments by video, on site or by phone"};
    cli.set_config("--config", "", "Read settings from a TOML/INI file (key = value)");
    cli.require_subcommand(1);
    auto add_db = [&](CLI::App* c) {
        c->add_option("--db", o.db, "SQLite database file")
            ->envname("VISIOGUICHET_DB")
            ->capture_default_str();
    };
    auto* serve_cmd = cli.add_subcommand("serve", "Run the web server");
    add_db(serve_cmd);
    serve_cmd->add_option("--listen", o.listen, "HOST:PORT to listen on")
        ->envname("VISIOGUICHET_LISTEN")
        ->capture_default_str();
    serve_cmd->add_option("--assets", o.assets, "Folder with templates/, static/, locales/")
        ->envname("VISIOGUICHET_ASSETS")
        ->capture_default_str();
    serve_cmd->add_option("--public-url", o.public_url, "Public base URL used in links")
        ->envname("VISIOGUICHET_PUBLIC_URL");
    serve_cmd
        ->add_option("--threads", o.threads, "Request threads (handlers wait for the database)")
        ->envname("VISIOGUICHET_THREADS")
        ->capture_default_str();
    serve_cmd
        ->add_option("--booking-rate-limit", o.booking_rate_limit,
                     "Bookings per IP per hour (0 = no limit)")
        ->envname("VISIOGUICHET_BOOKING_RATE_LIMIT")
        ->capture_default_str();
    serve_cmd->add_option("--body-limit", o.body_limit, "Largest request body in bytes")
        ->envname("VISIOGUICHET_BODY_LIMIT")
        ->capture_default_str();
    serve_cmd
        ->add_option("--max-connections", o.max_connections,
                     "Connections held at once (lowered to what the open-files limit allows)")
        ->envname("VISIOGUICHET_MAX_CONNECTIONS")
        ->capture_default_str();
    serve_cmd
        ->add_option("--idle-timeout", o.idle_timeout,
                     "Seconds a connection may wait for its next request (keep-alive)")
        ->envname("VISIOGUICHET_IDLE_TIMEOUT")
        ->capture_default_str();
    serve_cmd
        ->add_option("--request-timeout", o.request_timeout,
                     "Seconds from a request's first byte to its last (headers and body)")
        ->envname("VISIOGUICHET_REQUEST_TIMEOUT")
        ->capture_default_str();
    serve_cmd
        ->add_option("--trusted-proxies", o.trusted_proxies,
                     "Proxies (CIDR list) whose X-Forwarded-For names the client; default none")
        ->envname("VISIOGUICHET_TRUSTED_PROXIES");
    serve_cmd
        ->add_flag("!--no-durable", o.durable,
                   "synchronous=NORMAL instead of FULL (faster; a power cut may lose the last "
                   "commits)")
        ->envname("VISIOGUICHET_NO_DURABLE");
    serve_cmd->add_option("--log-level", o.log_level, "trace|debug|info|warn|error|off")
        ->envname("VISIOGUICHET_LOG_LEVEL")
        ->capture_default_str();
    serve_cmd->add_option("--smtp-url", o.smtp_url, "smtp://host:port or smtps://user:pass@host")
        ->envname("VISIOGUICHET_SMTP_URL");
    serve_cmd->add_option("--smtp-starttls", o.smtp_starttls, "off | try | required")
        ->envname("VISIOGUICHET_SMTP_STARTTLS")
        ->capture_default_str();
    serve_cmd->add_flag("--smtp-insecure", o.smtp_insecure, "Do not verify the SMTP certificate")
        ->envname("VISIOGUICHET_SMTP_INSECURE");
    serve_cmd
        ->add_option("--secret-key-file", o.secret_key_file,
                     "32-byte key sealing links in queued messages (default: beside the database)")
        ->envname("VISIOGUICHET_SECRET_KEY_FILE");
    serve_cmd
        ->add_option("--outbox-threads", o.outbox_threads, "Message sending threads (0 = none)")
        ->envname("VISIOGUICHET_OUTBOX_THREADS")
        ->capture_default_str();
    serve_cmd
        ->add_option("--outbox-lease", o.outbox_lease,
                     "Seconds before a message being sent by a crashed process is taken again")
        ->envname("VISIOGUICHET_OUTBOX_LEASE")
        ->check(CLI::Range(1, 3600))
        ->capture_default_str();
    serve_cmd
        ->add_option("--outbox-first-retry", o.outbox_first_retry,
                     "Seconds before the first retry (doubles each time, at most an hour)")
        ->envname("VISIOGUICHET_OUTBOX_FIRST_RETRY")
        ->check(CLI::Range(1, 3600))
        ->capture_default_str();
    serve_cmd
        ->add_option("--outbox-poll", o.outbox_poll,
                     "Seconds between looks for messages queued by other processes (this "
                     "process's own messages are sent at once)")
        ->envname("VISIOGUICHET_OUTBOX_POLL")
        ->check(CLI::Range(1, 3600))
        ->capture_default_str();
    serve_cmd
        ->add_option("--session-idle-timeout", o.session_idle_timeout,
                     "Seconds of inactivity that end a staff session")
        ->envname("VISIOGUICHET_SESSION_IDLE_TIMEOUT")
        ->check(CLI::Range(1, 86400))
        ->capture_default_str();
    serve_cmd
        ->add_option("--session-lifetime", o.session_lifetime,
                     "Seconds after sign-in that end a staff session whatever its activity")
        ->envname("VISIOGUICHET_SESSION_LIFETIME")
        ->check(CLI::Range(60, 30 * 86400))
        ->capture_default_str();
    serve_cmd
        ->add_option("--sign-in-lock-after", o.sign_in_lock_after,
                     "Failed sign-ins of one e-mail that lock it (ten times as many per client)")
        ->envname("VISIOGUICHET_SIGN_IN_LOCK_AFTER")
        ->check(CLI::Range(2, 1000))
        ->capture_default_str();
    serve_cmd
        ->add_option("--sign-in-lock-seconds", o.sign_in_lock_seconds, "How long such a lock lasts")
        ->envname("VISIOGUICHET_SIGN_IN_LOCK_SECONDS")
        ->check(CLI::Range(1, 86400))
        ->capture_default_str();
    serve_cmd
        ->add_option("--turn-urls", o.turn_urls,
                     "TURN (or STUN) servers of the video room, comma-separated, e.g. "
                     "turn:127.0.0.1:3478?transport=udp")
        ->envname("VISIOGUICHET_TURN_URLS");
    serve_cmd
        ->add_option("--turn-secret-file", o.turn_secret_file,
                     "File holding coturn's static-auth-secret (credentials in the coturn REST "
                     "convention)")
        ->envname("VISIOGUICHET_TURN_SECRET_FILE");
    serve_cmd
        ->add_option("--documents-dir", o.documents_dir,
                     "Folder of the room's documents, encrypted (default: <db>.documents; "
                     "never under --assets; back it up with the database)")
        ->envname("VISIOGUICHET_DOCUMENTS_DIR");
    serve_cmd
        ->add_option("--ice-transport-policy", o.ice_transport_policy,
                     "all | relay (both sides use relayed candidates only)")
        ->envname("VISIOGUICHET_ICE_TRANSPORT_POLICY")
        ->capture_default_str();
    serve_cmd
        ->add_option("--room-rules-interval", o.room_rules_interval,
                     "Seconds between runs of the video room's rules (automatic no-show, "
                     "late advisor)")
        ->envname("VISIOGUICHET_ROOM_RULES_INTERVAL")
        ->check(CLI::Range(1, 3600))
        ->capture_default_str();
    // Operations (docs/OPERATIONS.md).
    serve_cmd
        ->add_option("--log-format", o.log_format,
                     "text | json (one object a line: time, level, request_id, message)")
        ->envname("VISIOGUICHET_LOG_FORMAT")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
    serve_cmd
        ->add_option("--metrics-listen", o.metrics_listen,
                     "HOST:PORT serving GET /metrics (Prometheus); default: not served")
        ->envname("VISIOGUICHET_METRICS_LISTEN");
    serve_cmd
        ->add_option("--metrics-token-file", o.metrics_token_file,
                     "File whose first line is the bearer token /metrics requires")
        ->envname("VISIOGUICHET_METRICS_TOKEN_FILE")
        ->check(CLI::ExistingFile);
    serve_cmd
        ->add_option("--ready-outbox-max-age", o.ready_outbox_max_age,
                     "/readyz fails when a due message has waited longer (seconds, 0 = never)")
        ->envname("VISIOGUICHET_READY_OUTBOX_MAX_AGE")
        ->check(CLI::Range(0LL, 30LL * 86400))
        ->capture_default_str();
    serve_cmd
        ->add_option("--ready-min-free-disk", o.ready_min_free_disk,
                     "/readyz fails when less of the database's disk is free (percent, 0 = never)")
        ->envname("VISIOGUICHET_READY_MIN_FREE_DISK")
        ->check(CLI::Range(0.0, 100.0))
        ->capture_default_str();
    auto* migrate_cmd = cli.add_subcommand("migrate", "Create or upgrade the database schema");
    add_db(migrate_cmd);
    auto* demo_cmd = cli.add_subcommand("demo", "Load the demo organisation (slug 'demo')");
    add_db(demo_cmd);

    auto* import_cmd = cli.add_subcommand(
        "import", "Create an organisation from a JSON file (docs/CONFIGURATION.md)");
    add_db(import_cmd);
    import_cmd->add_option("file", o.file, "JSON file")->required()->check(CLI::ExistingFile);
    auto* terms_cmd =
        cli.add_subcommand("publish-terms", "Publish a new version of an organisation's terms");
    add_db(terms_cmd);
    terms_cmd->add_option("--org", o.org, "Organisation slug")->required();
    terms_cmd->add_option("file", o.file, "JSON file {\"text\", \"conduct_rules\"}")
        ->required()
        ->check(CLI::ExistingFile);

    auto* outbox_cmd = cli.add_subcommand("outbox", "List an organisation's messages by status");
    add_db(outbox_cmd);
    outbox_cmd->add_option("--org", o.org, "Organisation slug")->required();
    outbox_cmd->add_option("--status", o.status, "pending | sending | sent | dead | cancelled")
        ->capture_default_str();
    auto* replay_cmd = cli.add_subcommand("outbox-replay", "Send a dead message again");
    add_db(replay_cmd);
    replay_cmd->add_option("--org", o.org, "Organisation slug")->required();
    replay_cmd->add_option("id", o.message_id, "Message id (see `outbox`)")->required();

    auto* org_cmd = cli.add_subcommand("org", "Organisations");
    org_cmd->require_subcommand(1);
    auto* org_create = org_cmd->add_subcommand("create", "Create an empty organisation");
    add_db(org_create);
    org_create->add_option("--slug", o.slug, "Its address: /SLUG/ (a-z, 0-9, '-')")->required();
    org_create->add_option("--name", o.name, "Its name")->required();
    auto* user_cmd = cli.add_subcommand("user", "Staff accounts");
    user_cmd->require_subcommand(1);
    auto* user_add = user_cmd->add_subcommand(
        "add", "Give a role in an organisation to an account (created without password)");
    add_db(user_add);
    user_add->add_option("--org", o.org, "Organisation slug")->required();
    user_add->add_option("--email", o.email, "E-mail address (unique, any case)")->required();
    user_add->add_option("--role", o.role, "agent | supervisor | admin | partner")
        ->required()
        ->check(CLI::IsMember({"agent", "supervisor", "admin", "partner"}));
    user_add->add_option("--name", o.name, "Display name (default: the e-mail's local part)");
    auto* partner_opt =
        user_add->add_option("--partner", o.partner_id,
                             "The partner structure of a partner role (id: see `partner list`)");
    auto* user_list = user_cmd->add_subcommand(
        "list", "One account a line: e-mail, then its roles and organisation");
    add_db(user_list);
    user_list->add_option("--org", o.org, "Only this organisation's accounts");
    auto* user_password = user_cmd->add_subcommand(
        "password", "Set an account's password, read from standard input (policy applies)");
    add_db(user_password);
    user_password->add_option("--email", o.email, "The account's e-mail address")->required();
    auto* user_platform = user_cmd->add_subcommand(
        "platform-admin",
        "Make an account a platform administrator (creates organisations at /console/platform)");
    add_db(user_platform);
    user_platform->add_option("--email", o.email, "The account's e-mail address (created when new)")
        ->required();
    user_platform->add_flag("--revoke", o.revoke, "Take the flag away instead");
    auto* user_disable = user_cmd->add_subcommand(
        "disable", "Stop an account from signing in (its sessions end at once)");
    add_db(user_disable);
    user_disable->add_option("--email", o.email, "The account's e-mail address")->required();
    auto* user_enable = user_cmd->add_subcommand("enable", "Let a disabled account sign in again");
    add_db(user_enable);
    user_enable->add_option("--email", o.email, "The account's e-mail address")->required();
    auto* user_invite = user_cmd->add_subcommand(
        "invite", "E-mail an account a single-use link (30 minutes) to choose its password");
    add_db(user_invite);
    user_invite->add_option("--email", o.email, "The account's e-mail address")->required();
    user_invite
        ->add_option("--secret-key-file", o.secret_key_file,
                     "The server's secret key (seals the link until it is sent)")
        ->envname("VISIOGUICHET_SECRET_KEY_FILE");

    // Operations (docs/OPERATIONS.md).
    auto* backup_cmd = cli.add_subcommand(
        "backup", "Copy the database (the server may run) into a compressed file");
    add_db(backup_cmd);
    backup_cmd
        ->add_option("--to", o.backup_to,
                     "Backup file, or a folder (then named visioguichet-<UTC time>.db.gz)")
        ->required();
    backup_cmd
        ->add_option("--method", o.backup_method,
                     "vacuum (VACUUM INTO: smaller, kept bookings faster) | online (backup API)")
        ->check(CLI::IsMember({"online", "vacuum"}))
        ->capture_default_str();
    backup_cmd
        ->add_option("--keep-daily", o.keep_daily,
                     "In the folder, keep the newest backup of each of the last N days")
        ->check(CLI::Range(0, 10000));
    backup_cmd
        ->add_option("--keep-weekly", o.keep_weekly,
                     "... and of each of the last M weeks (others of this name are removed)")
        ->check(CLI::Range(0, 10000));
    auto* restore_cmd = cli.add_subcommand(
        "restore", "Restore a backup to --db (refused while the database is in use)");
    add_db(restore_cmd);
    restore_cmd->add_option("--from", o.restore_from, "Backup file")
        ->required()
        ->check(CLI::ExistingFile);
    restore_cmd
        ->add_option("--secret-key-file", o.secret_key_file,
                     "Where the server will read its secret key (checked, never created)")
        ->envname("VISIOGUICHET_SECRET_KEY_FILE");

    auto* retention_cmd = cli.add_subcommand("retention", "Retention of personal data");
    retention_cmd->require_subcommand(1);
    auto* retention_run = retention_cmd->add_subcommand(
        "run",
        "Erase the personal data of appointments older than each organisation's "
        "retention period (the server does it daily)");
    add_db(retention_run);
    retention_run
        ->add_option("--documents-dir", o.documents_dir,
                     "Folder of the room's documents (default: <db>.documents)")
        ->envname("VISIOGUICHET_DOCUMENTS_DIR");
    retention_run->add_option("--secret-key-file", o.secret_key_file, "The server's secret key")
        ->envname("VISIOGUICHET_SECRET_KEY_FILE");

    // Statistics (issue 14): read-only API keys for GET /api/v1/orgs/{org}/stats.
    auto* apikey_cmd = cli.add_subcommand("apikey", "API keys (statistics, read only)");
    apikey_cmd->require_subcommand(1);
    auto* apikey_create = apikey_cmd->add_subcommand(
        "create", "Create a read-only statistics key of an organisation; prints it once");
    add_db(apikey_create);
    apikey_create->add_option("--org", o.org, "Organisation slug")->required();
    apikey_create->add_option("--name", o.name, "What the key is for (shown to administrators)")
        ->required();

    // Partner structures (issue 15, docs/PARTNERS.md).
    auto* partner_cmd = cli.add_subcommand("partner", "Partner structures (Point numérique)");
    partner_cmd->require_subcommand(1);
    auto* partner_create =
        partner_cmd->add_subcommand("create", "Create a partner structure; prints its id");
    add_db(partner_create);
    partner_create->add_option("--org", o.org, "Organisation slug")->required();
    partner_create->add_option("--name", o.name, "Its name (unique in the organisation)")
        ->required();
    partner_create->add_option("--town", o.town, "Its town");
    auto* partner_list = partner_cmd->add_subcommand(
        "list", "One partner a line: id, name, town, label state, convention's term end");
    add_db(partner_list);
    partner_list->add_option("--org", o.org, "Organisation slug")->required();

    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return cli.exit(e);
    }
    o.partner_given = partner_opt->count() > 0;
    try {
        app::init_crypto();
        curl_global_init(CURL_GLOBAL_DEFAULT);
        spdlog::set_level(spdlog::level::from_str(o.log_level));
        ops::set_log_format(o.log_format);
        date::get_tzdb();  // load the zone database once, before threads start
        if (*serve_cmd) return serve(o);
        if (*backup_cmd) return backup_command(o);
        if (*restore_cmd) return restore_command(o);
        auto db = open_store(o);
        int v = db->migrate();
        if (*migrate_cmd) {
            std::cout << "database " << o.db << " at schema version " << v << std::endl;
            return 0;
        }
        if (*demo_cmd) {
            bool created = app::load_demo(*db, now());
            std::cout << (created ? "demo organisation loaded: /demo/"
                                  : "demo organisation already present: /demo/")
                      << std::endl;
            return 0;
        }
        if (*import_cmd) {
            auto id = app::import_organisation(*db, read_file(o.file));
            std::cout << "organisation imported (id " << id << ")" << std::endl;
            return 0;
        }
        if (*outbox_cmd || *replay_cmd) {
            int code = 0;
            db->write([&](store::Session& s) {
                auto org = s.organisation_by_slug(o.org);
                if (!org) {
                    std::cerr << "visioguichet: no organisation '" << o.org << "'" << std::endl;
                    code = 2;
                    return;
                }
                if (*replay_cmd) {
                    bool ok = s.replay(org->id, o.message_id, now());
                    std::cout << (ok ? "message queued again" : "no dead message with that id")
                              << std::endl;
                    code = ok ? 0 : 1;
                    return;
                }
                // Kind, channel and error only: no personal data on the console.
                for (auto& m : s.outbox(org->id, o.status, 200))
                    std::cout << m.id << "\t" << m.kind << "\t" << m.channel << "\tattempts "
                              << m.attempts << "\t" << m.last_error << std::endl;
            });
            return code;
        }
        if (*user_invite) {
            auto sealer = open_secret_key(*db, secret_key_path(o));
            return account_command(*db, o, "user invite", &sealer);
        }
        for (auto [cmd, which] : {std::pair{org_create, "org create"},
                                  {user_add, "user add"},
                                  {user_list, "user list"},
                                  {user_password, "user password"},
                                  {user_disable, "user disable"},
                                  {user_platform, "user platform-admin"},
                                  {user_enable, "user enable"}})
            if (*cmd) return account_command(*db, o, which, nullptr);
        if (*partner_create || *partner_list)
            return partner_command(*db, o, partner_create->parsed());
        if (*apikey_create) {
            auto k = app::create_api_key(*db, o.org, o.name, "cli");
            // The key itself, alone on standard output, once: only its hash is kept.
            std::cout << k.secret << std::endl;
            std::cerr << "API key " << k.key.id << " (" << k.key.name << ") of " << o.org
                      << " created; keep it now, it is not shown again" << std::endl;
            return 0;
        }
        if (*retention_run) {
            app::BookingService booking(*db);
            app::Administration administration(booking, nullptr);
            int n = administration.run_retention("cli");
            std::cout << "personal data of " << n << " appointments erased" << std::endl;
            // The room's documents past their period, when the server ever kept some.
            if (fs::is_directory(documents_dir(o))) {
                auto sealer = open_secret_key(*db, secret_key_path(o));
                store::DocumentVault vault(documents_dir(o), sealer);
                app::RoomService rooms(*db, core::system_clock());
                int d = app::RoomDocuments(*db, vault, rooms).delete_due();
                std::cout << d << " room documents deleted" << std::endl;
            }
            return 0;
        }
        if (*terms_cmd) {
            auto v = app::publish_terms(*db, o.org, read_file(o.file));
            std::cout << "terms version " << v << " published for " << o.org << std::endl;
            return 0;
        }
    } catch (const app::ImportError& e) {
        std::cerr << "visioguichet: the file was not imported (nothing written):" << std::endl;
        for (auto& p : e.problems) std::cerr << "  " << p << std::endl;
        return 2;
    } catch (const app::AccountError& e) {
        std::cerr << "visioguichet: " << e.what() << " (nothing written)" << std::endl;
        return 2;
    } catch (const store::BackupError& e) {
        std::cerr << "visioguichet: " << e.what() << std::endl;
        return 2;
    } catch (const SettingError& e) {
        std::cerr << "visioguichet: invalid setting: " << e.what() << std::endl;
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "visioguichet: " << e.what() << std::endl;
        return 1;
    }
    return 0;
}
