package io.github.posthogflink.client.pagination;

import io.github.posthogflink.client.PostHogClient;

import javax.annotation.Nullable;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A lazy, blocking iteration over a paginated list: each iterator fetches the first page when first
 * asked, then follows {@code next} (or, for lists paged by offset with {@code has_next}, asks for
 * the items after those received) until the list ends or {@code maxItems} items were returned.
 */
public final class Pages<T> implements Iterable<T> {
    private final Supplier<CompletableFuture<Page<T>>> first;
    private final Function<String, CompletableFuture<Page<T>>> follow;
    @Nullable private final IntFunction<CompletableFuture<Page<T>>> after;
    private final long maxItems;

    public Pages(
            Supplier<CompletableFuture<Page<T>>> first,
            Function<String, CompletableFuture<Page<T>>> follow,
            long maxItems) {
        this(first, follow, null, maxItems);
    }

    /**
     * @param after the page after the first {@code n} items received, for lists that answer {@code
     *     has_next} instead of a {@code next} link
     */
    public Pages(
            Supplier<CompletableFuture<Page<T>>> first,
            Function<String, CompletableFuture<Page<T>>> follow,
            @Nullable IntFunction<CompletableFuture<Page<T>>> after,
            long maxItems) {
        if (maxItems < 0) {
            throw new IllegalArgumentException("maxItems must be >= 0");
        }
        this.first = first;
        this.follow = follow;
        this.after = after;
        this.maxItems = maxItems;
    }

    @Override
    public Iterator<T> iterator() {
        return new PageIterator();
    }

    public Stream<T> stream() {
        return StreamSupport.stream(
                Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED), false);
    }

    private final class PageIterator implements Iterator<T> {
        private Page<T> page;
        private Iterator<T> items = List.<T>of().iterator();
        private long returned;
        private int received;

        @Override
        public boolean hasNext() {
            if (returned >= maxItems) {
                return false;
            }
            while (!items.hasNext()) {
                if (page == null) {
                    page = PostHogClient.await(first.get());
                } else if (page.hasNext()) {
                    page = PostHogClient.await(follow.apply(page.next()));
                } else if (after != null && page.hasMoreByOffset() && !page.results().isEmpty()) {
                    page = PostHogClient.await(after.apply(received));
                } else {
                    return false;
                }
                received += page.results().size();
                items = page.results().iterator();
            }
            return true;
        }

        @Override
        public T next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            returned++;
            return items.next();
        }
    }
}
