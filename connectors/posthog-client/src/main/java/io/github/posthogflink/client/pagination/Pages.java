package io.github.posthogflink.client.pagination;

import io.github.posthogflink.client.PostHogClient;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A lazy, blocking iteration over a paginated list: each iterator fetches the first page when first
 * asked, then follows {@code next} until the list ends or {@code maxItems} items were returned.
 */
public final class Pages<T> implements Iterable<T> {
    private final Supplier<CompletableFuture<Page<T>>> first;
    private final Function<String, CompletableFuture<Page<T>>> follow;
    private final long maxItems;

    public Pages(
            Supplier<CompletableFuture<Page<T>>> first,
            Function<String, CompletableFuture<Page<T>>> follow,
            long maxItems) {
        if (maxItems < 0) {
            throw new IllegalArgumentException("maxItems must be >= 0");
        }
        this.first = first;
        this.follow = follow;
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
                } else {
                    return false;
                }
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
