-- The shop's schema (MySQL dialect).
CREATE TABLE categories (
  id BIGINT PRIMARY KEY,
  title VARCHAR(80) NOT NULL
);

CREATE TABLE products (
  id BIGINT PRIMARY KEY,
  name VARCHAR(80) NOT NULL,
  stock INT NOT NULL,
  category_id BIGINT REFERENCES categories (id)
) ENGINE=InnoDB;

CREATE TABLE customers (
  id BIGINT PRIMARY KEY,
  email VARCHAR(120) NOT NULL
);

CREATE TABLE `orders` (
  `id` BIGINT PRIMARY KEY,
  `customer_id` BIGINT NOT NULL,
  CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id)
);

CREATE TABLE order_lines (
  order_id BIGINT NOT NULL,
  product_id BIGINT NOT NULL,
  quantity INT NOT NULL
);

ALTER TABLE order_lines ADD CONSTRAINT fk_lines_order FOREIGN KEY (order_id) REFERENCES orders (id);
ALTER TABLE order_lines ADD CONSTRAINT fk_lines_product FOREIGN KEY (product_id) REFERENCES products (id);

INSERT INTO categories (id, title) VALUES (1, 'Books');
