package io.github.posthogflink.connector;

import org.apache.flink.annotation.Experimental;
import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.Public;
import org.apache.flink.annotation.PublicEvolving;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;

/**
 * The connector's API stability annotations, as Flink's own modules keep them: every public
 * top-level type says whether users may rely on it ({@link PublicEvolving}) or not ({@link
 * Internal}), and no public constructor or method of a {@code @PublicEvolving} type takes, returns
 * or throws an {@code @Internal} type, so the internals can change without breaking the API.
 */
class ApiAnnotationsTest {
    private static final JavaClasses CONNECTOR =
            new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importPackages("io.github.posthogflink.connector");

    @Test
    void everyPublicTypeSaysWhetherItIsApi() {
        classes()
                .that()
                .arePublic()
                .and()
                .areTopLevelClasses()
                .should()
                .beAnnotatedWith(PublicEvolving.class)
                .orShould()
                .beAnnotatedWith(Internal.class)
                .orShould()
                .beAnnotatedWith(Experimental.class)
                .orShould()
                .beAnnotatedWith(Public.class)
                .check(CONNECTOR);
    }

    @Test
    void publicEvolvingSignaturesExposeNoInternalType() {
        codeUnits()
                .that()
                .arePublic()
                .and()
                .areDeclaredInClassesThat(annotatedAsApi())
                .should(exposeNoInternalType())
                .check(CONNECTOR);
    }

    @Test
    void theRulesSeeTheConnectorsTypes() {
        // a wrong package name would make both rules pass on nothing
        assertAnnotated("io.github.posthogflink.connector.sink.PostHogSink", PublicEvolving.class);
        assertAnnotated("io.github.posthogflink.connector.sink.PostHogSinkWriter", Internal.class);
    }

    private static void assertAnnotated(String name, Class<?> annotation) {
        JavaClass type = CONNECTOR.get(name);
        if (!type.isAnnotatedWith(annotation.getName())) {
            throw new AssertionError(name + " is not annotated with " + annotation.getName());
        }
    }

    /** A {@code @PublicEvolving} type, or a public type nested in one. */
    private static DescribedPredicate<JavaClass> annotatedAsApi() {
        return new DescribedPredicate<>("are @PublicEvolving (or public and nested in one)") {
            @Override
            public boolean test(JavaClass type) {
                JavaClass current = type;
                while (current != null) {
                    if (current.isAnnotatedWith(PublicEvolving.class)) {
                        return true;
                    }
                    if (!current.getModifiers().contains(JavaModifier.PUBLIC)) {
                        return false;
                    }
                    current = current.getEnclosingClass().orElse(null);
                }
                return false;
            }
        };
    }

    private static ArchCondition<JavaCodeUnit> exposeNoInternalType() {
        return new ArchCondition<>("take, return and throw no @Internal type") {
            @Override
            public void check(JavaCodeUnit unit, ConditionEvents events) {
                List<JavaClass> exposed = new ArrayList<>(unit.getRawParameterTypes());
                exposed.add(unit.getRawReturnType());
                unit.getExceptionTypes().forEach(exposed::add);
                for (JavaClass type : exposed) {
                    JavaClass base = type.isArray() ? type.getBaseComponentType() : type;
                    if (base.isAnnotatedWith(Internal.class)) {
                        events.add(
                                SimpleConditionEvent.violated(
                                        unit,
                                        unit.getFullName()
                                                + " exposes @Internal "
                                                + base.getName()));
                    }
                }
            }
        };
    }
}
