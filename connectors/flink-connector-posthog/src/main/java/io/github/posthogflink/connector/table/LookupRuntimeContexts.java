package io.github.posthogflink.connector.table;

import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.OperatorMetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.table.functions.FunctionContext;

import java.lang.reflect.Proxy;

/**
 * A {@link RuntimeContext} view of a lookup function's {@link FunctionContext}, for running an
 * async I/O function of the DataStream connectors inside a SQL lookup function. It answers {@code
 * getTaskInfo}, {@code getMetricGroup} and {@code getUserCodeClassLoader}; anything else throws.
 */
final class LookupRuntimeContexts {
    private LookupRuntimeContexts() {}

    static RuntimeContext of(FunctionContext context) {
        MetricGroup group = context.getMetricGroup();
        OperatorMetricGroup operatorGroup =
                group instanceof OperatorMetricGroup g
                        ? g
                        : UnregisteredMetricsGroup.createOperatorMetricGroup();
        return (RuntimeContext)
                Proxy.newProxyInstance(
                        LookupRuntimeContexts.class.getClassLoader(),
                        new Class<?>[] {RuntimeContext.class},
                        (proxy, method, args) ->
                                switch (method.getName()) {
                                    case "getTaskInfo" -> context.getTaskInfo();
                                    case "getMetricGroup" -> operatorGroup;
                                    case "getUserCodeClassLoader" ->
                                            context.getUserCodeClassLoader();
                                    case "toString" -> "LookupRuntimeContext";
                                    case "hashCode" -> System.identityHashCode(proxy);
                                    case "equals" -> proxy == args[0];
                                    default ->
                                            throw new UnsupportedOperationException(
                                                    "Not available in a lookup function: "
                                                            + method.getName());
                                });
    }
}
