package io.scenepipeline.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chaos campaign's short form (bench/run chaos runs it for 30 minutes): three nodes and a stream of plans, each
 * kind of fault once (kill -9, a freeze past the lease, the database cut off, SIGTERM, the broker cut off, a burst of
 * provider faults), then heal, drain and check that every invariant held.
 */
class ChaosIT {

    @Test
    void should_end_every_plan_once_and_pay_once_through_every_kind_of_fault() throws Exception {
        Files.createDirectories(Path.of("target", "it-runs"));
        Path root = Files.createTempDirectory(Path.of("target", "it-runs").toAbsolutePath(), "chaos-");
        List<ChaosCampaign.Fault> schedule = List.of(ChaosCampaign.Fault.KILL, ChaosCampaign.Fault.FREEZE, ChaosCampaign.Fault.DATABASE,
                ChaosCampaign.Fault.TERM, ChaosCampaign.Fault.BROKER, ChaosCampaign.Fault.PROVIDERS);
        ChaosChecks.Result result;
        try (ChaosCampaign campaign = new ChaosCampaign(root, new ChaosCampaign.Settings(Duration.ofSeconds(75), Duration.ofSeconds(5),
                Duration.ofSeconds(2), schedule, 1, false))) {
            result = campaign.run();
        }
        System.out.print(result.table());
        Files.writeString(root.resolve("result.txt"), result.table());
        assertThat(result.violations()).as(result.table()).isEmpty();
        assertThat((Map<?, ?>) result.counts().get("faults injected")).as("each kind of fault at least once").hasSize(schedule.size());
        assertThat((Integer) result.counts().get("plans dropped")).isGreaterThanOrEqualTo(10);
    }
}
