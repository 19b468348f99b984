// visioguichet: one binary, subcommands serve / migrate / demo.
#include <CLI/CLI.hpp>
#include <date/tz.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "api/api.hpp"
#include "app/context.hpp"
#include "app/demo.hpp"
#include "app/org_import.hpp"
#include "app/tokens.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "web/i18n.hpp"
#include "web/pages.hpp"
#include "web/templates.hpp"

namespace fs = std::filesystem;
using namespace vg;

namespace {

struct Options {
    std::string db = "var/visioguichet.db";
    std::string listen = "127.0.0.1:8080";
    std::string assets = VG_SOURCE_DIR;
    std::string public_url;
    int threads = 4;
    int booking_rate_limit = 20;
    std::size_t body_limit = 64 * 1024;
    bool durable = true;
    std::string log_level = "info";
    std::string file;
    std::string org;
};

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

std::pair<std::string, unsigned short> parse_listen(const std::string& s) {
    auto colon = s.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == s.size())
        throw SettingError("--listen must be HOST:PORT, got '" + s + "'");
    auto host = s.substr(0, colon);
    auto port_text = s.substr(colon + 1);
    if (port_text.find_first_not_of("0123456789") != std::string::npos || port_text.size() > 5)
        throw SettingError("--listen port must be a number 0-65535, got '" + port_text + "'");
    int port = std::stoi(port_text);
    if (port > 65535) throw SettingError("--listen port must be 0-65535, got " + port_text);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    return {host, static_cast<unsigned short>(port)};
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

core::Instant now() { return app::Context::now(); }

int serve(const Options& o) {
    auto [host, port] = parse_listen(o.listen);
    if (o.threads < 1 || o.threads > 256) throw SettingError("--threads must be 1-256");
    if (o.booking_rate_limit < 0) throw SettingError("--booking-rate-limit must be >= 0");
    if (o.body_limit < 1024 || o.body_limit > 16 * 1024 * 1024)
        throw SettingError("--body-limit must be between 1024 and 16777216 bytes");
    if (!o.public_url.empty() && o.public_url.rfind("http://", 0) != 0 &&
        o.public_url.rfind("https://", 0) != 0)
        throw SettingError("--public-url must start with http:// or https://");
    for (auto sub : {"templates", "locales", "static"})
        if (!fs::is_directory(fs::path(o.assets) / sub))
            throw SettingError("--assets: '" + o.assets + "' has no " + sub + "/ folder");

    auto db = open_store(o);
    int v = db->migrate();
    spdlog::info("database {} at schema version {}", o.db, v);

    web::I18n i18n;
    i18n.load(o.assets + "/locales");
    web::Templates templates;
    templates.load(o.assets + "/templates");
    app::BookingService booking(*db);
    http::RateLimiter limiter(o.booking_rate_limit, 3600);
    app::Settings settings{o.public_url, o.assets, o.booking_rate_limit};
    app::Context ctx{booking, limiter, i18n, templates, settings};

    http::Router router;
    router.get("/healthz", [](http::Request&) { return http::Response::text(200, "ok\n"); });
    router.get("/readyz", [&](http::Request&) {
        return db->ready() ? http::Response::text(200, "ready\n")
                           : http::Response::text(503, "database unavailable\n");
    });
    api::register_routes(router, ctx);
    web::register_routes(router, ctx);

    http::ServerOptions so;
    so.host = host;
    so.port = port;
    so.threads = o.threads;
    so.body_limit = o.body_limit;
    so.default_headers = web::security_headers(o.public_url.rfind("https://", 0) == 0);
    http::Server server(so, [&](http::Request& r) { return router.dispatch(r); });
    server.listen();
    // The one line scripts wait for.
    std::cout << "Visioguichet listening on http://" << (host.find(':') != std::string::npos ? "[" + host + "]" : host)
              << ":" << server.port() << "/" << std::endl;
    server.run();
    spdlog::info("stopped cleanly");
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
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
    serve_cmd->add_option("--threads", o.threads, "I/O threads")
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
        ->add_flag("!--no-durable", o.durable,
                   "synchronous=NORMAL instead of FULL (faster; a power cut may lose the last "
                   "commits)")
        ->envname("VISIOGUICHET_NO_DURABLE");
    serve_cmd->add_option("--log-level", o.log_level, "trace|debug|info|warn|error|off")
        ->envname("VISIOGUICHET_LOG_LEVEL")
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

    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return cli.exit(e);
    }
    try {
        app::init_crypto();
        spdlog::set_level(spdlog::level::from_str(o.log_level));
        date::get_tzdb();  // load the zone database once, before threads start
        if (*serve_cmd) return serve(o);
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
        if (*terms_cmd) {
            auto v = app::publish_terms(*db, o.org, read_file(o.file));
            std::cout << "terms version " << v << " published for " << o.org << std::endl;
            return 0;
        }
    } catch (const app::ImportError& e) {
        std::cerr << "visioguichet: the file was not imported (nothing written):" << std::endl;
        for (auto& p : e.problems) std::cerr << "  " << p << std::endl;
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
