import { a as b, type C } from './x.js';
export * from '@shop/kernel';
@Controller('x') export class A extends B<C> implements D { constructor(private readonly r: Repository<E>) { super(); } @Get(':id') f() { return this.r.save(new E()); } }
