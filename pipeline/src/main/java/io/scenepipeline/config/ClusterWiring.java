package io.scenepipeline.config;

import io.scenepipeline.lifecycle.ClusterReadLock;
import io.scenepipeline.lifecycle.PlanQueueErrors;
import io.scenepipeline.lifecycle.PlanReadLock;
import io.scenepipeline.observe.BrokerWatch;
import io.scenepipeline.observe.ClusterHealthCheck;
import io.scenepipeline.state.jdbc.Database;
import io.scenepipeline.state.jdbc.JdbcFileClaims;
import io.scenepipeline.state.jdbc.JdbcSlotLedger;
import io.scenepipeline.state.jdbc.JdbcStepJournal;
import io.scenepipeline.state.jdbc.JournalException;
import io.scenepipeline.state.jdbc.JournalSchema;
import io.scenepipeline.support.SettingsException;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import io.scenepipeline.state.jdbc.JdbcConsoleState;
import io.scenepipeline.run.RunningPlans;
import io.scenepipeline.console.Operations;
import io.scenepipeline.console.ClusterOperations;

/**
 * Cluster mode's parts (docs/cluster.md): the journal in PostgreSQL, the inbox claims beside it, the plans queue on
 * ActiveMQ Artemis through camel-jms, the {@code cluster} readiness check, and the cluster routes in place of the
 * single-process inbox route.
 */
final class ClusterWiring {

    /** The cluster routes, loaded only in cluster mode. */

    private ClusterWiring() {
    }

    /** What the rest of the wiring uses of cluster mode. */
    record Cluster(JdbcStepJournal journal, JdbcSlotLedger ledger, JdbcConsoleState console) {
    }

    /** Binds the cluster's beans and returns its journal and ledger. */
    static Cluster bind(CamelContext context, Object owner, ClusterSettings cluster, PlanReadLock readLock) {
        HikariConfig pool = new HikariConfig();
        pool.setPoolName("journal");
        pool.setJdbcUrl(cluster.jdbcUrl());
        pool.setUsername(cluster.jdbcUser());
        pool.setPassword(cluster.jdbcPassword());
        pool.setMaximumPoolSize(16);
        pool.setConnectionTimeout(3000);
        // a database that is down at start is waited for like one that goes down later, not a failed pool
        pool.setInitializationFailTimeout(-1);
        // a node that stands still inside a transaction (a pause, SIGSTOP) must not hold its rows locked: the server
        // ends such a session, and a wait for a lock is bounded by the lease
        long lease = cluster.lease().toMillis();
        pool.setConnectionInitSql("SET idle_in_transaction_session_timeout = " + Math.max(1000, lease / 3)
                + "; SET lock_timeout = " + Math.max(1000, lease));
        HikariDataSource dataSource = new HikariDataSource(pool);
        Database database = new Database(dataSource, cluster.outageTimeout());
        try {
            JournalSchema.ensure(new Database(dataSource, Duration.ofSeconds(30)));
        } catch (JournalException e) {
            dataSource.close();
            throw new SettingsException("pipeline.journal.jdbc-url: " + e.getMessage());
        }
        JdbcStepJournal journal = new JdbcStepJournal(database, cluster.artifacts(), cluster.node(), cluster.lease());
        JdbcSlotLedger ledger = new JdbcSlotLedger(database, cluster.node(), cluster.lease());
        long renewEvery = Math.max(100, cluster.lease().toMillis() / 3);
        ScheduledExecutorService renew = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(owner, "lease");
        // the slots first: one statement, never waiting; the claims' renewal waits out a database outage
        JdbcFileClaims claims = new JdbcFileClaims(database, cluster.lease());
        renew.scheduleWithFixedDelay(() -> {
            ledger.renewLeases();
            claims.renewLeases();
            journal.renewLeases();
        }, renewEvery, renewEvery, TimeUnit.MILLISECONDS);

        ActiveMQConnectionFactory broker = new ActiveMQConnectionFactory(cluster.brokerUrl(), cluster.brokerUser(), cluster.brokerPassword());
        if (!cluster.brokerUrl().contains("consumerWindowSize")) {
            // no plan waits in a busy (or frozen) node's client buffer: a node is handed a plan only when it takes one
            broker.setConsumerWindowSize(0);
        }
        context.addComponent("jms", JmsComponent.jmsComponent(broker));

        Registry registry = context.getRegistry();
        // a finished file's claim stays a minute (or ten leases) after the file left the inbox
        registry.bind("clusterReadLock", new ClusterReadLock(claims, readLock, renew,
                Duration.ofMillis(Math.max(60_000, 10 * cluster.lease().toMillis()))));
        registry.bind("planQueueErrors", new PlanQueueErrors());
        registry.bind("brokerWatch", new BrokerWatch(() -> reachable(broker), renew));
        ClusterHealthCheck readiness = new ClusterHealthCheck(database::ping, () -> reachable(broker));
        ScheduledExecutorService probes = context.getExecutorServiceManager().newScheduledThreadPool(owner, "cluster-probe", 2);
        readiness.start(probes);
        registry.bind("cluster-health-check", readiness);
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        if (health != null) {
            health.register(registry.lookupByName("cluster-health-check"));
        }
        try {
            context.addService(new ServiceSupport() {
                @Override
                protected void doStop() {
                    context.getExecutorServiceManager().shutdownNow(renew);
                    context.getExecutorServiceManager().shutdownNow(probes);
                    broker.close();
                    dataSource.close();
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException("cannot set up cluster mode: " + e.getMessage(), e);
        }
        return new Cluster(journal, ledger, new JdbcConsoleState(database, cluster.node()));
    }

    private static boolean reachable(ActiveMQConnectionFactory broker) {
        try (Connection c = broker.createConnection()) {
            return true;
        } catch (JMSException e) {
            return false;
        }
    }

    /** The console's view and actions for the whole cluster: this node publishes its running plans once a second. */
    static Operations console(CamelContext context, Object owner, RunningPlans running,
                                                       JdbcConsoleState shared) {
        ClusterOperations operations = new ClusterOperations(running, shared);
        ScheduledExecutorService every = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(owner, "console");
        every.scheduleWithFixedDelay(() -> {
            try {
                operations.tick();
            } catch (RuntimeException e) {
                // the next second tries again
            }
        }, 1, 1, TimeUnit.SECONDS);
        return operations;
    }
}
