#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "ops/metrics.hpp"

using namespace vg::ops;

TEST(OpsMetrics, CountersAndSeriesFromManyThreadsLoseNothing) {
    Metrics m;
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 10000; ++i) {
                m.bookings.inc();
                m.request("POST", "/api/v1/orgs/{org}/appointments", i % 2 ? 201 : 409, 0.003);
                m.request("GET", t % 2 ? "/a" : "/b", 200, 0.2);
            }
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(m.bookings.value(), 80000u);
    auto text = m.render();
    EXPECT_NE(text.find("vg_bookings_total 80000\n"), std::string::npos) << text;
    EXPECT_NE(text.find("vg_http_requests_total{method=\"POST\",route=\"/api/v1/orgs/{org}/"
                        "appointments\",status=\"201\"} 40000\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("vg_http_requests_total{method=\"GET\",route=\"/a\",status=\"200\"} 40000"),
              std::string::npos);
    // 3 ms falls in the first bucket (5 ms), 200 ms in the 250 ms one.
    EXPECT_NE(text.find("vg_http_request_duration_seconds_bucket{method=\"POST\",route=\"/api/v1/"
                        "orgs/{org}/appointments\",le=\"0.005\"} 80000"),
              std::string::npos);
    EXPECT_NE(text.find("vg_http_request_duration_seconds_bucket{method=\"GET\",route=\"/a\","
                        "le=\"0.1\"} 0"),
              std::string::npos);
    EXPECT_NE(
        text.find("vg_http_request_duration_seconds_count{method=\"GET\",route=\"/a\"} 40000"),
        std::string::npos);
}

TEST(OpsMetrics, HistogramIsCumulativeWithInf) {
    Histogram h({1, 2, 4});
    for (double v : {0.5, 1.0, 1.5, 3.0, 100.0}) h.observe(v);
    EXPECT_EQ(h.cumulative(), (std::vector<std::uint64_t>{2, 3, 4, 5}));
    EXPECT_DOUBLE_EQ(h.sum(), 106.0);
    Writer w;
    w.histogram("x", {}, h);
    EXPECT_EQ(w.text(),
              "x_bucket{le=\"1\"} 2\nx_bucket{le=\"2\"} 3\nx_bucket{le=\"4\"} 4\n"
              "x_bucket{le=\"+Inf\"} 5\nx_sum 106\nx_count 5\n");
}

TEST(OpsMetrics, LabelValuesAreEscapedAndOddMethodsGrouped) {
    Metrics m;
    m.request("BREW", "/odd\"route\\\n", 418, 0.001);
    auto text = m.render();
    EXPECT_NE(text.find("{method=\"other\",route=\"/odd\\\"route\\\\\\n\",status=\"418\"} 1"),
              std::string::npos)
        << text;
}

TEST(OpsMetrics, TooManyLabelSetsCountAsOther) {
    Family<Counter> f({"k"}, [] { return std::make_unique<Counter>(); });
    for (int i = 0; i < 10000; ++i) f.at({std::to_string(i)}).inc();
    std::uint64_t total = 0, series = 0, other = 0;
    f.each([&](const Labels& l, const Counter& c) {
        total += c.value();
        ++series;
        if (l[0].second == "other") other = c.value();
    });
    EXPECT_EQ(total, 10000u);
    EXPECT_LE(series, Family<Counter>::kSlots + 1);
    EXPECT_GT(other, 0u);
}

TEST(OpsMetrics, CollectorsWriteAtRender) {
    Metrics m;
    m.add_collector([](Writer& w) {
        w.family("vg_test_gauge", "A test", "gauge");
        w.sample("vg_test_gauge", {{"status", "pending"}}, 3);
    });
    auto text = m.render();
    EXPECT_NE(text.find("# TYPE vg_test_gauge gauge\nvg_test_gauge{status=\"pending\"} 3\n"),
              std::string::npos);
}
