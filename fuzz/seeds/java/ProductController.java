package com.shop.catalog.web;

import static com.shop.common.Money.of;

import com.shop.catalog.InventoryService;
import com.shop.catalog.ProductService;
import com.shop.catalog.model.Category;
import com.shop.catalog.model.Product;
import com.shop.common.Ids;
import java.math.BigDecimal;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.*;

@RestController
@RequestMapping(ProductController.BASE)
public class ProductController {

    /** The mapping is built from constants, as large Spring codebases do. */
    static final String BASE = "/api/" + PRODUCTS;
    static final String PRODUCTS = "products";

    private final ProductService productService;
    private final InventoryService inventoryService;

    public ProductController(ProductService productService, InventoryService inventoryService) {
        this.productService = productService;
        this.inventoryService = inventoryService;
    }

    @GetMapping({"/{id}", "/by-id/{id}"})
    public ProductDto get(@PathVariable("id") String id) {
        return ProductDto.from(productService.getProduct(Ids.parse(id)));
    }

    @GetMapping("/{id}/stock")
    public int stock(@PathVariable("id") Long id) {
        Product product = productService.getProduct(id);
        return inventoryService.available(product.getSku());
    }

    @PostMapping
    public ResponseEntity<ProductDto> create(@RequestBody ProductDto request) {
        Product created = productService.create(
                request.sku(),
                request.name(),
                Category.fromLabel(request.category()),
                of(request.price(), request.currency()));
        return ResponseEntity.status(201).body(ProductDto.from(created));
    }

    @RequestMapping(value = "/{id}/price", method = {RequestMethod.PUT, RequestMethod.PATCH})
    public ProductDto changePrice(@PathVariable("id") Long id, @RequestBody BigDecimal amount) {
        return ProductDto.from(productService.changePrice(id, of(amount, "EUR")));
    }
}
