package com.shop.orders;

import com.shop.catalog.InventoryService;
import com.shop.catalog.ProductService;
import com.shop.catalog.model.Product;
import com.shop.common.DomainException;
import com.shop.common.NotFoundException;
import com.shop.customers.Customer;
import com.shop.customers.CustomerService;
import com.shop.orders.model.Order;
import com.shop.orders.model.OrderLine;
import com.shop.orders.web.OrderSummary;
import com.shop.orders.web.PlaceOrderRequest;
import com.shop.payments.*;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class OrderService {

    private final OrderRepository orderRepository;
    private final ProductService productService;
    private final InventoryService inventoryService;
    private final PaymentService paymentService;
    private final CustomerService customerService;
    private final OrderNumberGenerator numberGenerator;
    private final OrderLineDao orderLineDao;
    private final LoyaltyPointsWriter loyaltyPointsWriter;

    public OrderService(
            OrderRepository orderRepository,
            ProductService productService,
            InventoryService inventoryService,
            PaymentService paymentService,
            CustomerService customerService,
            OrderNumberGenerator numberGenerator,
            OrderLineDao orderLineDao,
            LoyaltyPointsWriter loyaltyPointsWriter) {
        this.orderRepository = orderRepository;
        this.productService = productService;
        this.inventoryService = inventoryService;
        this.paymentService = paymentService;
        this.customerService = customerService;
        this.numberGenerator = numberGenerator;
        this.orderLineDao = orderLineDao;
        this.loyaltyPointsWriter = loyaltyPointsWriter;
    }

    /**
     * Reserves stock, charges the customer and stores the order, all in one transaction
     * that spans the catalog and payments modules.
     */
    @Transactional
    public OrderSummary placeOrder(PlaceOrderRequest request) {
        Customer customer = customerService.getCustomer(request.customerId());
        if (customer.isBlocked()) {
            throw new DomainException("customer is blocked: " + customer.getId());
        }
        var builder = Order.builder()
                .number(numberGenerator.next())
                .customer(customer.getId())
                .shipTo(request.shippingCity());
        for (PlaceOrderRequest.Item item : request.items()) {
            Product product = productService.getBySku(item.sku());
            inventoryService.reserve(product.getSku(), item.quantity());
            builder.line(product.getSku(), item.quantity(), product.getPrice());
        }
        Order order = builder.build();
        Payment payment = paymentService.charge(order.getNumber(), order.total(), request.paymentMethod());
        order.markPaid(payment.getTransactionId());
        Order saved = orderRepository.save(order);
        loyaltyPointsWriter.award(customer.getId(), order.total());
        return OrderSummary.from(saved);
    }

    public Order getOrder(Long id) {
        return orderRepository.findById(id).orElseThrow(() -> new NotFoundException("Order", id));
    }

    public OrderSummary getSummary(Long id) {
        return OrderSummary.from(getOrder(id));
    }

    public List<OrderSummary> history(Long customerId) {
        return orderRepository.findByCustomerIdOrderByCreatedAtDesc(customerId).stream()
                .map(OrderSummary::from)
                .toList();
    }

    @Transactional
    public OrderSummary cancel(Long id) {
        Order order = getOrder(id);
        order.cancel();
        for (OrderLine line : order.getLines()) {
            inventoryService.release(line.getSku(), line.getQuantity());
        }
        return OrderSummary.from(order);
    }

    @Transactional
    public int copyLines(Long sourceOrderId, Long targetOrderId) {
        Order source = getOrder(sourceOrderId);
        return orderLineDao.insertLines(targetOrderId, source.getLines());
    }
}
