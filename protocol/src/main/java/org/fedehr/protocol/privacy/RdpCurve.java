package org.fedehr.protocol.privacy;

import java.util.ArrayList;
import java.util.List;

/**
 * RDP of a mechanism at a fixed list of orders: {@code rdp.get(i)} is the Rényi-DP ε at order {@code orders.get(i)}.
 * Composition adds curves order by order ({@link #plus}); T identical steps multiply it by T ({@link #times}).
 */
public record RdpCurve(List<Double> orders, List<Double> rdp) {
    public RdpCurve {
        orders = List.copyOf(orders);
        rdp = List.copyOf(rdp);
        if (orders.isEmpty()) throw new IllegalArgumentException("orders must not be empty");
        if (orders.size() != rdp.size())
            throw new IllegalArgumentException("orders and rdp differ in length: " + orders.size() + " vs " + rdp.size());
        for (double a : orders) Checks.order(a);
        for (int i = 0; i < rdp.size(); i++) {
            double r = rdp.get(i);
            if (Double.isNaN(r) || r < 0)
                throw new IllegalArgumentException("rdp at order " + orders.get(i) + " must be >= 0, got " + r);
        }
    }

    /** The curve of a mechanism that never touches the data (RDP 0 at every order). */
    public static RdpCurve zero(List<Double> orders) {
        List<Double> z = new ArrayList<>(orders.size());
        for (int i = 0; i < orders.size(); i++) z.add(0.0);
        return new RdpCurve(orders, z);
    }

    /** Sequential composition: order-wise sum (the orders must be the same). */
    public RdpCurve plus(RdpCurve other) {
        if (!orders.equals(other.orders)) throw new IllegalArgumentException("cannot compose RDP curves over different orders: "
                + orders + " vs " + other.orders);
        List<Double> sum = new ArrayList<>(rdp.size());
        for (int i = 0; i < rdp.size(); i++) sum.add(rdp.get(i) + other.rdp.get(i));
        return new RdpCurve(orders, sum);
    }

    /** {@code steps} compositions of this curve with itself (0 steps: the zero curve). */
    public RdpCurve times(long steps) {
        Checks.steps(steps);
        List<Double> t = new ArrayList<>(rdp.size());
        for (double r : rdp) t.add(steps == 0 ? 0.0 : r * steps);
        return new RdpCurve(orders, t);
    }

    /** True when every value is 0. */
    public boolean isZero() {
        for (double r : rdp) if (r != 0) return false;
        return true;
    }
}
