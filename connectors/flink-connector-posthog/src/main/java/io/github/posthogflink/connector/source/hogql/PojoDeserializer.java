package io.github.posthogflink.connector.source.hogql;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoField;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HogQL rows as Flink POJOs: each field takes the result column of its name, or of its name in
 * snake_case ({@code earlierEvents} ← {@code earlier_events}), converted to the field's type as a
 * declared {@link org.apache.flink.types.Row} field would be. Every field must have a column.
 */
final class PojoDeserializer<T> implements HogQLRowDeserializer<T> {
    private static final long serialVersionUID = 1L;
    private static final Pattern CAMEL = Pattern.compile("([a-z0-9])([A-Z])");

    private final PojoTypeInfo<T> type;
    private final List<String> fieldNames;
    private final DeclaredColumns declared;
    private transient Field[] fields;
    private transient Constructor<T> constructor;

    private PojoDeserializer(
            PojoTypeInfo<T> type, List<String> fieldNames, DeclaredColumns declared) {
        this.type = type;
        this.fieldNames = fieldNames;
        this.declared = declared;
    }

    static <T> PojoDeserializer<T> of(Class<T> pojo) {
        TypeInformation<T> info = TypeInformation.of(pojo);
        if (!(info instanceof PojoTypeInfo<T> pojoType)) {
            throw new IllegalArgumentException(
                    pojo.getName()
                            + " is not a Flink POJO (public, a public no-argument constructor,"
                            + " fields public or with getters and setters)");
        }
        List<String> fieldNames = new ArrayList<>();
        List<FlinkTarget> targets = new ArrayList<>();
        List<String> typeNames = new ArrayList<>();
        for (int i = 0; i < pojoType.getArity(); i++) {
            PojoField field = pojoType.getPojoFieldAt(i);
            FlinkTarget target = FlinkTarget.of(field.getTypeInformation());
            if (target == null) {
                throw new IllegalArgumentException(
                        "Field '"
                                + field.getField().getName()
                                + "': type "
                                + field.getTypeInformation()
                                + " is not supported");
            }
            fieldNames.add(field.getField().getName());
            targets.add(target);
            typeNames.add(field.getTypeInformation().toString());
        }
        // the column names are settled per result in open(); declared with field names for now
        return new PojoDeserializer<>(
                pojoType, fieldNames, new DeclaredColumns(fieldNames, targets, typeNames));
    }

    static String snakeCase(String camel) {
        Matcher m = CAMEL.matcher(camel);
        return m.replaceAll("$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public void open(HogQLResultSchema schema) {
        List<String> byColumn = new ArrayList<>();
        for (String name : fieldNames) {
            byColumn.add(
                    schema.indexOf(name) >= 0 || schema.indexOf(snakeCase(name)) < 0
                            ? name
                            : snakeCase(name));
        }
        declared.rename(byColumn);
        declared.resolve(schema);
    }

    @Override
    public T deserialize(HogQLRow row) throws Exception {
        if (fields == null) {
            resolveReflection();
        }
        T out = constructor.newInstance();
        for (int i = 0; i < fields.length; i++) {
            Object value = declared.value(row, i);
            if (value == null && fields[i].getType().isPrimitive()) {
                throw new IllegalArgumentException(
                        "Column '"
                                + declared.name(i)
                                + "' is null, but field '"
                                + fieldNames.get(i)
                                + "' is a primitive "
                                + fields[i].getType());
            }
            fields[i].set(out, value);
        }
        return out;
    }

    private void resolveReflection() throws ReflectiveOperationException {
        Class<T> pojo = type.getTypeClass();
        constructor = pojo.getDeclaredConstructor();
        constructor.setAccessible(true);
        Field[] resolved = new Field[fieldNames.size()];
        for (int i = 0; i < resolved.length; i++) {
            resolved[i] = findField(pojo, fieldNames.get(i));
            resolved[i].setAccessible(true);
        }
        fields = resolved;
    }

    private static Field findField(Class<?> type, String name) throws NoSuchFieldException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                return c.getDeclaredField(name);
            } catch (NoSuchFieldException ignored) {
                // look in the superclass
            }
        }
        throw new NoSuchFieldException(name);
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return type;
    }
}
