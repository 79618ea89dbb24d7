package io.github.posthogflink.connector.source.hogql;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.function.SerializableFunction;

/** A deserializer from a user function; empty-snapshot markers are not passed to it. */
final class MappingDeserializer<T> implements HogQLRowDeserializer<T> {
    private static final long serialVersionUID = 1L;

    private final SerializableFunction<HogQLRow, T> mapper;
    private final TypeInformation<T> type;

    MappingDeserializer(SerializableFunction<HogQLRow, T> mapper, TypeInformation<T> type) {
        this.mapper = mapper;
        this.type = type;
    }

    @Override
    public T deserialize(HogQLRow row) throws Exception {
        return mapper.apply(row);
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return type;
    }
}
